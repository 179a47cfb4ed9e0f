/**
 * The RDS certificate authorities for the default TLS options. Read from the package's
 * `certs/rds-ca-bundle.pem` instead of parsing the 190 KB copy inlined in `./ca.js` (bench row 6).
 * A bundle that left `certs/` behind (a Lambda zip) imports the inlined copy, which bundlers follow.
 * node:fs and node:url come through `process.getBuiltinModule`, not `import`: an ESM import of
 * node:fs builds its module namespace, which costs more cold start than the inlined copy did.
 */
export async function rdsCaBundle(file: URL = shippedFile()): Promise<string> {
  const text = readIfPresent(file);
  if (text?.startsWith('-----BEGIN CERTIFICATE-----')) return text;
  return (await import('./ca.js')).RDS_CA_BUNDLE;
}

/** From `dist/rds/` (or `src/rds/`), the package's `certs/` folder; `import.meta.url` is ESM only. */
function shippedFile(): URL {
  const here = typeof __filename === 'string' ? process.getBuiltinModule('node:url').pathToFileURL(__filename).href : import.meta.url;
  return new URL('../../certs/rds-ca-bundle.pem', here);
}

function readIfPresent(file: URL): string | undefined {
  try {
    return process.getBuiltinModule('node:fs').readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
