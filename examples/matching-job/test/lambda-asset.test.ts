import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresDb } from '@switchyard/postgres';
import { createAppDatabase, type TestPostgres } from 'community-app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembers } from './members.js';

const ASSET = fileURLToPath(new URL('../dist/lambda', import.meta.url));
const EVENT = fileURLToPath(new URL('./events/scheduled-event.json', import.meta.url));

/** Loads the handler as Lambda's Node.js runtime does (`index.handler`), invokes it once, prints the result. */
const INVOKE = `
const { handler } = await import(process.cwd() + '/index.mjs');
const event = JSON.parse(await (await import('node:fs/promises')).readFile(process.env.EVENT, 'utf8'));
console.log('RESULT ' + JSON.stringify(await handler(event)));
process.exit(0);
`;

function invoke(cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', INVOKE], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
    }
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/**
 * The asset `cdk deploy` would upload (dist/lambda, made by `npm run build`), run outside the
 * repository so nothing resolves from the monorepo's node_modules: the handler, the adapter it
 * selects (`@switchyard/aws/rds`, imported by name) and the embedded ones for the other ports.
 */
describe('the Lambda asset (dist/lambda)', () => {
  let dir: string;
  let database: TestPostgres;

  beforeAll(async () => {
    expect(existsSync(join(ASSET, 'index.mjs')), 'build the example first (npm test builds every package)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'matching-asset-'));
    await cp(ASSET, join(dir, 'task'), { recursive: true });
    database = await createAppDatabase();
    const db = await createPostgresDb({ connectionString: database.connectionString });
    try {
      await addMembers(db, 30);
    } finally {
      await db.close();
    }
  }, 180_000);

  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds the bundled handler and the adapter packages createProviders imports by name', async () => {
    const adapters = JSON.parse(await readFile(join(ASSET, 'node_modules', '@switchyard', 'aws', 'package.json'), 'utf8'));
    expect(adapters.exports).toMatchObject({
      './s3': './s3.mjs',
      './cognito': './cognito.mjs',
      './rds': './rds.mjs',
      './redis': './redis.mjs',
    });
    for (const file of ['index.mjs', 'node_modules/@switchyard/aws/rds.mjs', 'node_modules/@switchyard/local/index.mjs'])
      expect(existsSync(join(ASSET, file)), file).toBe(true);
  });

  it('computes the week’s matches on PostgreSQL from a copy outside the repository', { timeout: 120_000 }, async () => {
    const url = new URL(database.connectionString);
    url.searchParams.set('sslmode', 'disable');
    const { code, output } = await invoke(join(dir, 'task'), {
      SWITCHYARD_DB: 'aws',
      DATABASE_URL: url.toString(),
      SWITCHYARD_LOCAL_DIR: join(dir, 'tmp'),
      EVENT,
    });
    expect(code, output).toBe(0);
    const result = JSON.parse(output.slice(output.indexOf('RESULT ') + 'RESULT '.length));
    expect(result).toMatchObject({ week: '2019-10-07', alreadyDone: false, members: 30 });
    expect(result.pairsAdded).toBeGreaterThan(0);
  });
});
