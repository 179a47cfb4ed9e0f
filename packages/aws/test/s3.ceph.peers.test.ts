import { describeStoragePort } from '@switchyard/contract-tests';
import { faultFixture } from './s3-fault-fixture.js';
import { CEPH_LIMITS, createPeerBucket, peerFixture } from './s3-peers.js';

// Ceph RGW is the reference S3 peer: it verifies SigV4, enforces POST policies and signed content
// types, and checks conditional writes. The whole contract runs in both checksum modes: with the
// SDK's default (also the adapter's) through form POST uploads and a fault proxy, and with
// `when_required` through signed PUT uploads, so both kinds of upload URL meet a real verifier.
describeStoragePort('S3Storage on Ceph RGW (checksums: when_supported, form POST uploads)', async () => {
  const bucket = await createPeerBucket('ceph-rgw');
  return faultFixture(bucket.options({ limits: CEPH_LIMITS }), { requestTimeoutMs: 1_000, maxAttempts: 2 }, () => bucket.remove());
});

describeStoragePort('S3Storage on Ceph RGW (checksums: when_required, signed PUT uploads)', () =>
  peerFixture('ceph-rgw', { checksums: 'when_required', presign: 'put', limits: CEPH_LIMITS }),
);
