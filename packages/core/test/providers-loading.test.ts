import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/load-providers.mjs', import.meta.url));
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sy-providers-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** createProviders in a fresh Node process: what it answered and every module URL it resolved. */
async function runWith(env: Record<string, string>): Promise<{ outcome: string; resolved: string[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [script, JSON.stringify({ SWITCHYARD_LOCAL_DIR: directory, ...env })], {
    timeout: 30_000,
  });
  return JSON.parse(stdout);
}

const SUPABASE = /@supabase\/|packages\/supabase\//;
const AWS = /@aws-sdk\/|\/ioredis\/|packages\/aws\//;
const AWS_SDK = /@aws-sdk\/|\/ioredis\/|\/pg\/|@electric-sql/;

describe('createProviders loading', () => {
  it('loads the aws adapters it selects and never supabase-js', async () => {
    const { outcome, resolved } = await runWith({
      SWITCHYARD_DB: 'aws',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable',
      SWITCHYARD_PUBSUB: 'aws',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(outcome).toBe('ok local,local,aws,aws');
    expect(resolved.some((url) => url.includes('/ioredis/'))).toBe(true);
    expect(resolved.filter((url) => SUPABASE.test(url))).toEqual([]);
  }, 40_000);

  it('loads the supabase adapters it selects and nothing of aws', async () => {
    const { resolved } = await runWith({
      SWITCHYARD_DB: 'supabase',
      SUPABASE_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    expect(resolved.some((url) => /packages\/supabase\/dist\/|\/node_modules\/pg\//.test(url))).toBe(true);
    expect(resolved.filter((url) => AWS.test(url))).toEqual([]);
  }, 40_000);

  it('loads only descriptors, no adapter and no SDK, when the configuration is invalid', async () => {
    const { outcome, resolved } = await runWith({ SWITCHYARD_STORAGE: 'aws' });
    expect(outcome).toMatch(/^CONFIG: Switchyard configuration has 2 problems/);
    expect(resolved.filter((url) => AWS_SDK.test(url) || /\/dist\/(s3|cognito|rds|redis|storage|auth|db|pubsub)\b/.test(url))).toEqual([]);
  }, 40_000);
});
