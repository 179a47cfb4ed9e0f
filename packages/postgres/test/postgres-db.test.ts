import { inspect } from 'node:util';
import { type OperationEvent, SwitchyardError, type SwitchyardEvent, sql } from '@switchyard/core/adapter';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function caught(promise: Promise<unknown>): Promise<SwitchyardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SwitchyardError.isInstance(error)) throw new Error(`expected a SwitchyardError, got ${String(error)}`);
  return error;
}

describe('PostgresDb', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ prepare: installSupabaseCompat });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('maps constraint, syntax and timeout errors, keeping the driver error as cause', async () => {
    const db = await createPostgresDb({ connectionString: database.connectionString, statementTimeoutMs: 100 });
    try {
      await db.query(sql`create table t_errors (id int primary key, name text not null)`);
      await db.query(sql`insert into t_errors values (${1}, ${'a'})`);
      const conflict = await caught(db.query(sql`insert into t_errors values (${1}, ${'b'})`));
      expect(conflict).toMatchObject({ code: 'CONFLICT', port: 'db', provider: 'postgres', operation: 'query' });
      expect((conflict.cause as { code?: string }).code).toBe('23505');
      expect(conflict.details).toMatchObject({ sqlstate: '23505', constraint: 't_errors_pkey' });
      expect((await caught(db.query(sql`insert into t_errors values (${2}, ${null})`))).code).toBe('INVALID_INPUT');
      const timeout = await caught(db.query(sql`select pg_sleep(1)`));
      expect(timeout).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    } finally {
      await db.close();
    }
  });

  it('reports an unreachable server as UNAVAILABLE', async () => {
    const db = await createPostgresDb({ host: '127.0.0.1', port: 1, user: 'postgres', database: 'postgres', connectionTimeoutMs: 2_000 });
    try {
      expect(await caught(db.query(sql`select 1`))).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    } finally {
      await db.close();
    }
  });

  it('reports TLS required of a server without TLS as CONFIG, saying what to set', async () => {
    const url = new URL(database.connectionString);
    const db = await createPostgresDb({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: 'postgres',
      database: 'postgres',
      ssl: true,
    });
    try {
      const error = await caught(db.query(sql`select 1`));
      expect(error).toMatchObject({ code: 'CONFIG', retryable: false, port: 'db' });
      expect(error.message).toContain('ssl: false');
      expect(error.message).toContain('sslmode=disable');
    } finally {
      await db.close();
    }
  });

  it('never prints the password or the connection string', async () => {
    const url = new URL(database.connectionString);
    url.username = 'postgres';
    url.password = 'sy-secret-pg-password';
    const db = await createPostgresDb({ connectionString: url.toString(), onEvent: () => {} });
    try {
      await db.query(sql`select 1`);
      const printed = [inspect(db, { depth: 10, showHidden: true }), JSON.stringify(db), String(db), `${db}`].join('\n');
      expect(printed).not.toContain('sy-secret-pg-password');
      expect(printed).toContain(url.pathname.slice(1));
    } finally {
      await db.close();
    }
  });

  it('refuses a transaction client used after its transaction ended', async () => {
    const db = await createPostgresDb({ connectionString: database.connectionString });
    try {
      let leaked: Parameters<Parameters<typeof db.transaction>[0]>[0] | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
      });
      expect((await caught(leaked!.query(sql`select 1`))).code).toBe('INVALID_INPUT');
    } finally {
      await db.close();
    }
  });

  it('keeps the pool healthy after a connection dies inside a transaction', async () => {
    const db = await createPostgresDb({ connectionString: database.connectionString, max: 1 });
    try {
      const error = await caught(db.transaction((tx) => tx.query(sql`select pg_terminate_backend(pg_backend_pid())`)));
      expect(error.code).toBe('UNAVAILABLE');
      expect(await db.one<{ n: number }>(sql`select 1::int as n`)).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  });

  it('closes idempotently and refuses later calls with UNAVAILABLE', async () => {
    const db = await createPostgresDb({ connectionString: database.connectionString });
    await db.query(sql`select 1`);
    await db.close();
    await db.close();
    expect((await caught(db.query(sql`select 1`))).code).toBe('UNAVAILABLE');
    expect((await caught(db.transaction(async () => 1))).code).toBe('UNAVAILABLE');
  });

  it('sets auth.uid(), auth.role() and auth.jwt() inside asUser', async () => {
    const db = await createPostgresDb({ connectionString: database.connectionString });
    try {
      const id = crypto.randomUUID();
      const row = await db.asUser({ id, email: 'ada@example.com', claims: { aal: 'aal1' } }, (tx) =>
        tx.one<{ uid: string; role: string; email: string; aal: string }>(
          sql`select auth.uid()::text as uid, auth.role() as role, auth.email() as email, auth.jwt() ->> 'aal' as aal`,
        ),
      );
      expect(row).toEqual({ uid: id, role: 'authenticated', email: 'ada@example.com', aal: 'aal1' });
    } finally {
      await db.close();
    }
  });

  it('reports every call to onEvent', async () => {
    const events: SwitchyardEvent[] = [];
    const db = await createPostgresDb({ connectionString: database.connectionString, onEvent: (e) => events.push(e) });
    try {
      await db.query(sql`select 1`);
      await caught(db.query(sql`selec`));
      const operations = events.filter((e): e is OperationEvent => e.type === 'operation');
      expect(operations.map((e) => [e.port, e.provider, e.operation, e.error?.code])).toEqual([
        ['db', 'postgres', 'query', undefined],
        ['db', 'postgres', 'query', 'INVALID_INPUT'],
      ]);
    } finally {
      await db.close();
    }
  });

  it('runs on a pool of the caller and leaves it open on close', async () => {
    const pool = new pg.Pool({ connectionString: database.connectionString, max: 2 });
    try {
      const db = await createPostgresDb({ client: pool });
      expect(await db.asUser({ id: crypto.randomUUID() }, (tx) => tx.one<{ role: string }>(sql`select current_user as role`))).toEqual({
        role: 'authenticated',
      });
      await db.close();
      expect((await caught(db.query(sql`select 1`))).code).toBe('UNAVAILABLE');
      expect((await pool.query('select 1 as n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await pool.end();
    }
  });

  // pg reports its errors through the callback, but a statement it refuses on the spot throws. That
  // call fails alone: nothing of it may stay in the query watchdog, which would later take the
  // transaction's connection for a silent one and destroy it.
  it('fails a statement pg throws on at once, and leaves its transaction working past the query timeout', async () => {
    const pool = new pg.Pool({ connectionString: database.connectionString, max: 1 });
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        if (args[0] === 'select 42 as thrown') throw new TypeError('refused on the spot');
        return query(...args);
      };
    });
    const db = await createPostgresDb({ client: pool, queryTimeoutMs: 300 });
    try {
      const n = await db.transaction(async (tx) => {
        await tx.query(sql`select 1`);
        const error = await caught(tx.query(sql`select 42 as thrown`));
        expect(error.cause).toBeInstanceOf(TypeError);
        await new Promise((resolve) => setTimeout(resolve, 600));
        return (await tx.one<{ n: number }>(sql`select 2::int as n`)).n;
      });
      expect(n).toBe(2);
    } finally {
      await db.close();
      await pool.end();
    }
  });
});
