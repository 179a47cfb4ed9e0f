// Inlined at build time (tsup text loader) so the bundle works wherever the code is copied,
// including Lambda bundles that drop non-JS files. See certs/README.md for its provenance.
import bundle from '../../certs/rds-ca-bundle.pem';

/** The Amazon RDS and RDS Proxy certificate authorities, PEM-encoded (`@switchyard/aws/rds/ca`). */
export const RDS_CA_BUNDLE: string = bundle;
