import { type DbPort, SwitchyardError, sql } from '@switchyard/core/adapter';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { FaultProxy } from '@switchyard/test-peers';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function caught(promise: Promise<unknown>): Promise<SwitchyardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SwitchyardError.isInstance(error)) throw new Error(`expected a SwitchyardError, got ${String(error)}`, { cause: error });
  return error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgresDb when the connection is lost', () => {
  let database: TestDatabase;
  let proxy: FaultProxy;
  const opened: DbPort[] = [];

  /** A port whose every connection goes through the fault proxy. */
  const proxied = async (options: { max?: number; timeoutMs?: number } = {}) => {
    const db = await createPostgresDb({
      connectionString: proxy.url(database.connectionString),
      max: options.max ?? 3,
      connectionTimeoutMs: options.timeoutMs ?? 1_000,
      queryTimeoutMs: options.timeoutMs ?? 1_000,
    });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ prepare: installSupabaseCompat });
    const url = new URL(database.connectionString);
    proxy = await FaultProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  });

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await proxy?.close();
    await database?.drop();
  });

  it('reports a backend terminated between two statements of a transaction as a retryable UNAVAILABLE', async () => {
    const db = await createPostgresDb({ connectionString: database.connectionString, max: 1 });
    opened.push(db);
    const admin = new pg.Client({ connectionString: database.connectionString });
    await admin.connect();
    try {
      const error = await caught(
        db.transaction(async (tx) => {
          const { pid } = await tx.one<{ pid: number }>(sql`select pg_backend_pid() as pid where ${1} = 1`);
          await admin.query('select pg_terminate_backend($1)', [pid]);
          // Let the client read the server's FATAL 57P01 first: the next query then meets a client
          // that already knows its connection is gone ("not queryable").
          await sleep(200);
          await tx.query(sql`select 2`);
        }),
      );
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true, port: 'db', provider: 'postgres' });
      expect(await db.one<{ n: number }>(sql`select 1::int as n`)).toEqual({ n: 1 });
    } finally {
      await admin.end();
    }
  });

  it('takes a fresh connection when pooled ones died while idle, instead of failing the call', async () => {
    const db = await proxied({ max: 3 });
    await Promise.all([1, 2, 3].map(() => db.transaction((tx) => tx.query(sql`select pg_sleep(0.05)`))));
    // A failover: every pooled connection is reset while idle, and the call comes at once.
    proxy.dropConnections();
    expect(await db.one<{ n: number }>(sql`select 1::int as n`)).toEqual({ n: 1 });
    proxy.dropConnections();
    expect(await db.transaction((tx) => tx.one<{ n: number }>(sql`select ${2}::int as n`))).toEqual({ n: 2 });
    proxy.dropConnections();
    expect(await db.asUser({ id: '00000000-0000-4000-8000-000000000001' }, (tx) => tx.one(sql`select auth.uid()::text as id`))).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
    });
  });

  it('gives up on a silent server after queryTimeoutMs and never hands that connection out again', async () => {
    const db = await proxied({ max: 1, timeoutMs: 1_500 });
    await db.query(sql`select 1`);
    await proxy.set('blackhole');
    try {
      const error = await caught(db.transaction((tx) => tx.query(sql`select ${1}::int`)));
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    } finally {
      await proxy.set('pass');
    }
    // The only connection of the pool still has an unanswered query on it: reused, this would wait forever.
    expect(await db.one<{ n: number }>(sql`select 3::int as n`)).toEqual({ n: 3 });
  });

  it('says the outcome is unknown when the connection is lost while COMMIT is in flight', async () => {
    const db = await proxied({ max: 1, timeoutMs: 1_500 });
    await db.query(sql`create table if not exists loss_items (id int primary key)`);
    const error = await caught(
      db.transaction(async (tx) => {
        await tx.query(sql`insert into loss_items values (${1})`);
        await proxy.set('blackhole');
      }),
    );
    await proxy.set('pass');
    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: false, operation: 'transaction', details: { commitOutcome: 'unknown' } });
    expect(error.message).toContain('may have committed');
    // It did not commit here (COMMIT never reached the server), and the pool works again.
    expect(await db.maybeOne(sql`select id from loss_items`)).toBeNull();
  });
});
