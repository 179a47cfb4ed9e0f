import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbJournal, type DbPort } from '@switchyard/core';
import { createLocalDb } from '@switchyard/local';
import { runCommand } from '@switchyard/migrate';
import type { CountersSnapshot } from '@switchyard/otel/counters';
import { createPostgresDb } from '@switchyard/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The machine's PostgreSQL (trust auth); override with SWITCHYARD_TEST_PG. */
const ADMIN_URL = process.env.SWITCHYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL}; this test needs it running.`, { cause: error });
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function journal(db: DbPort, entries: { key: string; primary: string }[]): Promise<void> {
  const journal = new DbJournal(db);
  for (const { key, primary } of entries) await journal.record({ port: 'storage', key, operation: 'put', reason: 'test', primary });
  await db.close();
}

/**
 * `switchyard status` from the embedded provider (PGlite) to AWS (a fresh database on the machine's
 * PostgreSQL; S3 is configured but never called): the counters it prints are its own port calls and
 * the repair journal's backlog, with the names the app's /metrics uses.
 */
describe('switchyard status counters', () => {
  let dir: string;
  let env: Record<string, string>;
  const database = `sy_migrate_status_${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sy-migrate-status-'));
    await admin(`create database ${database}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    env = {
      SWITCHYARD_MIGRATE_FROM: 'local',
      SWITCHYARD_MIGRATE_TO: 'aws',
      SWITCHYARD_MIGRATE_PORTS: 'storage,db',
      SWITCHYARD_MIGRATE_DIR: join(dir, 'state'),
      SWITCHYARD_LOCAL_DIR: join(dir, 'local'),
      SWITCHYARD_LOCAL_BASE_URL: 'http://127.0.0.1:3000/_storage',
      AWS_REGION: 'us-east-1',
      AWS_S3_BUCKET: 'never-called',
      AWS_S3_ENDPOINT: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      DATABASE_URL: `${url.toString()}?sslmode=disable`,
    };
    // Two writes made with local primary that AWS may lack, one the other way round, and one in AWS's database.
    await journal(await createLocalDb({ dataDir: join(dir, 'local', 'db') }), [
      { key: 'photos/a.jpg', primary: 'local' },
      { key: 'photos/b.jpg', primary: 'local' },
      { key: 'photos/c.jpg', primary: 'aws' },
    ]);
    // The AWS database adapter is node-postgres underneath: the same table, written directly.
    await journal(await createPostgresDb({ connectionString: env.DATABASE_URL as string }), [{ key: 'photos/d.jpg', primary: 'local' }]);
  }, 120_000);

  afterAll(async () => {
    await admin(`drop database if exists ${database} with (force)`);
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the command’s own calls per port, operation and provider, and the journal backlog', async () => {
    let out = '';
    const io = { env, stdout: (text: string) => (out = text), stderr: { write: () => undefined } };
    expect(await runCommand(['status', '--json'], io)).toBe(0);
    const { counters } = JSON.parse(out) as { counters: CountersSnapshot };
    // Four journal entries in the two databases; the status counts them with one `one` per database.
    expect(counters.ports.storage).toEqual({ operations: {}, journalBacklog: 4 });
    expect(counters.ports.db?.operations.one).toEqual({
      calls: 2,
      errors: 0,
      divergences: 0,
      shadowFailures: 0,
      providers: { local: { calls: 1, errors: 0 }, aws: { calls: 1, errors: 0 } },
    });
    // No dual-run composite in the command: each call reached one provider and nothing diverged.
    const operations = Object.values(counters.ports.db?.operations ?? {});
    expect(operations.length).toBeGreaterThanOrEqual(3);
    for (const found of operations) {
      expect(found).toMatchObject({ errors: 0, divergences: 0, shadowFailures: 0 });
      expect(found.calls).toBe(Object.values(found.providers).reduce((sum, p) => sum + p.calls, 0));
      expect(Object.keys(found.providers).sort()).toEqual(['aws', 'local']);
    }

    expect(await runCommand(['status'], io)).toBe(0);
    const printed = out.slice(out.indexOf('counters ('));
    expect(printed).toContain('\n  db one: calls 2, errors 0, divergences 0, shadowFailures 0 (local 1/0, aws 1/0)\n');
    expect(printed).toMatch(/\n {2}storage journalBacklog: 4$/);
  }, 120_000);
});
