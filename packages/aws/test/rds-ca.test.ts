import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRdsDb } from '@switchyard/aws/rds';
import { RDS_CA_BUNDLE } from '@switchyard/aws/rds/ca';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const SHIPPED = require.resolve('@switchyard/aws/package.json').replace(/package\.json$/, 'certs/rds-ca-bundle.pem');
const OPTIONS = { host: 'db.example', database: 'app', user: 'app', auth: { type: 'password' as const, password: 'p' } };

/** The TLS options createRdsDb hands @switchyard/postgres, without opening a pool. */
async function tlsOf(create: typeof createRdsDb, ssl?: 'verify-full'): Promise<{ ca?: string; rejectUnauthorized?: boolean }> {
  let seen: unknown;
  const importPostgres = async () => ({
    createPostgresDb: async (options: { ssl: unknown }) => {
      seen = options.ssl;
      return {};
    },
  });
  await create({ ...OPTIONS, ...(ssl ? { ssl } : {}) }, { importPostgres });
  return seen as { ca?: string; rejectUnauthorized?: boolean };
}

describe('the RDS certificate authorities', () => {
  const folders: string[] = [];
  afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

  it('are shipped both as certs/rds-ca-bundle.pem and inlined in @switchyard/aws/rds/ca, the same text', async () => {
    expect(RDS_CA_BUNDLE.match(/BEGIN CERTIFICATE/g)?.length).toBeGreaterThan(100);
    expect(RDS_CA_BUNDLE).toBe(await readFile(SHIPPED, 'utf8'));
  });

  it('verify the server by default, in the ESM and the CommonJS build', async () => {
    const cjs = require('@switchyard/aws/rds') as { createRdsDb: typeof createRdsDb };
    for (const create of [createRdsDb, cjs.createRdsDb]) {
      expect(await tlsOf(create)).toEqual({ ca: RDS_CA_BUNDLE, rejectUnauthorized: true });
      expect(await tlsOf(create, 'verify-full')).toEqual({ ca: RDS_CA_BUNDLE, rejectUnauthorized: true });
    }
  });

  it('stay in an app bundled without the certs/ folder (a Lambda zip), or with something else in its place', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rds-bundle-'));
    folders.push(folder);
    // Resolved from this folder, as an app's bundler resolves the package from its node_modules.
    const app = `import { createRdsDb } from '@switchyard/aws/rds';
      let ca;
      const importPostgres = async () => ({ createPostgresDb: async (o) => { ca = o.ssl.ca; return {}; } });
      await createRdsDb(${JSON.stringify(OPTIONS)}, { importPostgres });
      console.log(JSON.stringify({ certificates: ca.match(/BEGIN CERTIFICATE/g).length, length: ca.length }));`;
    // The built code looks for ../../certs/rds-ca-bundle.pem from its own file.
    const outfile = join(folder, 'app', 'out', 'index.mjs');
    const stdin = { contents: app, resolveDir: import.meta.dirname, sourcefile: 'app.mjs' };
    await build({ stdin, bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent' });
    const expected = { certificates: RDS_CA_BUNDLE.match(/BEGIN CERTIFICATE/g)?.length, length: RDS_CA_BUNDLE.length };
    expect(JSON.parse((await run(process.execPath, [outfile])).stdout)).toEqual(expected);
    await mkdir(join(folder, 'certs'));
    await writeFile(join(folder, 'certs', 'rds-ca-bundle.pem'), 'not a certificate');
    expect(JSON.parse((await run(process.execPath, [outfile])).stdout)).toEqual(expected);
  });
});
