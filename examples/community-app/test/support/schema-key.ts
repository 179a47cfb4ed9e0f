import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../src/db/migrations/', import.meta.url));

/**
 * Names a migrated template database: it changes whenever a migration file or the PGlite version
 * does, so a test never starts from a schema the code no longer makes.
 */
export function schemaKey(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) hash.update(file).update(readFileSync(`${MIGRATIONS_DIR}${file}`));
  const require = createRequire(import.meta.url);
  // The package does not export its package.json; its folder is above the resolved entry point.
  const entry = require.resolve('@electric-sql/pglite');
  const manifest = join(entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`)), 'package.json');
  hash.update(JSON.parse(readFileSync(manifest, 'utf8')).version);
  return hash.digest('hex').slice(0, 16);
}
