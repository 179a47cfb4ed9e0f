import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { sql } from '@switchyard/core/adapter';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSupabaseDb, type SupabaseDb } from '../src/db/index.js';
import { resolveDbOptions } from '../src/db/options.js';
import { createTestDatabase, type TestDatabase } from './db-test-database.js';

function configProblems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG', port: 'db', provider: 'supabase' });
    return (error as { details: { problems: string[] } }).details.problems;
  }
  throw new Error('expected a CONFIG error');
}

describe('SupabaseDb', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  describe('asUser', () => {
    let db: SupabaseDb;
    const alice = randomUUID();
    const bob = randomUUID();

    beforeAll(async () => {
      db = await createSupabaseDb({ connectionString: database.connectionString });
      // Written exactly as in a Supabase project's migrations.
      await db.query(sql`create table public.todos (id bigint generated always as identity primary key, user_id uuid not null, task text)`);
      await db.query(sql`alter table public.todos enable row level security`);
      await db.query(
        sql`create policy "Users see their own todos" on public.todos for select to authenticated using (auth.uid() = user_id)`,
      );
      await db.query(
        sql`create policy "Users add their own todos" on public.todos for insert to authenticated with check ((select auth.uid()) = user_id)`,
      );
      await db.query(
        sql`create policy "Admins by email claim" on public.todos for select to authenticated using ((auth.jwt() ->> 'email') = 'admin@example.com')`,
      );
      await db.query(sql`grant select, insert on public.todos to authenticated`);
      await db.query(sql`insert into public.todos (user_id, task) values (${alice}, 'alice 1'), (${alice}, 'alice 2'), (${bob}, 'bob 1')`);
    });

    afterAll(async () => {
      await db?.close();
    });

    it('applies a `using (auth.uid() = user_id)` policy as PostgREST would', async () => {
      const rows = await db.asUser({ id: alice }, (tx) => tx.query<{ task: string }>(sql`select task from public.todos order by task`));
      expect(rows.rows.map((r) => r.task)).toEqual(['alice 1', 'alice 2']);
      const inserted = await db.asUser({ id: bob }, (tx) =>
        tx.one<{ task: string }>(sql`insert into public.todos (user_id, task) values (${bob}, 'bob 2') returning task`),
      );
      expect(inserted.task).toBe('bob 2');
    });

    it('exposes the claims to auth.jwt() policies', async () => {
      const rows = await db.asUser({ id: randomUUID(), email: 'admin@example.com' }, (tx) => tx.query(sql`select 1 from public.todos`));
      expect(rows.rowCount).toBeGreaterThanOrEqual(3);
    });

    it('refuses a write for someone else with FORBIDDEN', async () => {
      await expect(
        db.asUser({ id: alice }, (tx) => tx.query(sql`insert into public.todos (user_id, task) values (${bob}, 'forged')`)),
      ).rejects.toMatchObject({ code: 'FORBIDDEN', provider: 'supabase' });
    });

    it('gives the anon role nothing a policy for authenticated allows', async () => {
      await expect(db.asUser({ id: alice, role: 'anon' }, (tx) => tx.query(sql`select * from public.todos`))).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });
  });

  describe('transaction-pooler mode', () => {
    it('sends only unnamed statements, no session SET and no statement_timeout startup parameter', async () => {
      const queries = vi.spyOn(pg.Client.prototype, 'query');
      const startups = vi.spyOn(pg.Client.prototype as unknown as { getStartupConf(): Record<string, string> }, 'getStartupConf');
      const db = await createSupabaseDb({ connectionString: database.connectionString, mode: 'transaction-pooler', maxConnections: 1 });
      let calls: unknown[][] = [];
      let startupConfs: unknown[] = [];
      try {
        expect(db.mode).toBe('transaction-pooler');
        await db.query(sql`select ${1}::int as n`);
        await db.one(sql`select ${'x'} as s`);
        await db.transaction(async (tx) => {
          await tx.query(sql`select ${2}::int`);
          await tx.transaction((inner) => inner.query(sql`select ${3}::int`));
        });
        const claims = await db.asUser({ id: randomUUID() }, (tx) => tx.one<{ role: string }>(sql`select current_user::text as role`));
        expect(claims.role).toBe('authenticated');
        const prepared = await db.one<{ n: number }>(sql`select count(*)::int as n from pg_prepared_statements`);
        expect(prepared.n).toBe(0);
        const timeout = await db.one<{ statement_timeout: string }>(sql`show statement_timeout`);
        expect(timeout.statement_timeout).toBe('0');
      } finally {
        await db.close();
        // Copied first: mockRestore() also clears what the spies recorded.
        calls = [...queries.mock.calls];
        startupConfs = startups.mock.results.map((result) => result.value);
        queries.mockRestore();
        startups.mockRestore();
      }
      const sent = calls.map(([config]) => (typeof config === 'string' ? { text: config } : (config as { text: string; name?: string })));
      expect(sent.length).toBeGreaterThan(8);
      expect(sent.filter((query) => query.name !== undefined)).toEqual([]);
      // A session-level SET would stay on a server connection the pooler hands to someone else.
      expect(sent.filter((query) => /^\s*(set|reset)\s/i.test(query.text) && !/^\s*set\s+local\s/i.test(query.text))).toEqual([]);
      expect(sent.filter((query) => /set_config\([^)]*,\s*false\s*\)/i.test(query.text))).toEqual([]);
      const startupKeys = startupConfs.map((conf) => Object.keys(conf as object));
      expect(startupKeys.length).toBeGreaterThan(0);
      for (const keys of startupKeys) expect(keys).not.toContain('statement_timeout');
    });

    it('is chosen for port 6543 of a Supavisor host', () => {
      const resolved = resolveDbOptions({
        connectionString: 'postgresql://postgres.abcdefghijklmnop:s%40cret@aws-0-eu-west-1.pooler.supabase.com:6543/postgres',
      });
      expect(resolved.mode).toBe('transaction-pooler');
      expect(resolved.postgres).toMatchObject({
        user: 'postgres.abcdefghijklmnop',
        password: 's@cret',
        port: 6543,
        statementTimeoutMs: 0,
        max: 5,
      });
      expect(resolved.postgres.connectionString).toBeUndefined();
    });
  });

  describe('TLS', () => {
    it('requires TLS by default, does not fall back to plaintext, and reports a server without TLS as CONFIG', async () => {
      const url = new URL(database.connectionString);
      url.searchParams.delete('sslmode');
      const db = await createSupabaseDb({ connectionString: url.toString() });
      try {
        const error = await db.query(sql`select 1`).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'CONFIG', retryable: false, provider: 'supabase' });
        // Says what to set.
        expect((error as Error).message).toContain('sslmode=disable');
      } finally {
        await db.close();
      }
    });

    it('verifies the certificate against a given CA', () => {
      const url = 'postgresql://postgres:pw@db.abcdefghijklmnop.supabase.co:5432/postgres';
      expect(resolveDbOptions({ connectionString: url }).postgres.ssl).toEqual({ rejectUnauthorized: false });
      expect(resolveDbOptions({ connectionString: url, ssl: { ca: 'PEM' } }).postgres.ssl).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
      expect(resolveDbOptions({ connectionString: `${url}?sslmode=disable` }).postgres.ssl).toBe(false);
    });
  });

  describe('configuration', () => {
    it('lists every problem in one CONFIG error', () => {
      const problems = configProblems(() =>
        resolveDbOptions({
          connectionString: 'postgresql://postgres:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres?sslmode=verify-full',
          mode: 'direct',
          maxConnections: 0,
        }),
      );
      expect(problems).toHaveLength(4);
      expect(problems.join('\n')).toMatch(/postgres\.<project-ref>/);
      expect(problems.join('\n')).toMatch(/port 6543 is Supavisor transaction mode/);
      expect(problems.join('\n')).toMatch(/maxConnections/);
      expect(problems.join('\n')).toMatch(/sslmode=verify-full needs the Supabase CA/);
    });

    it('passes the timeouts on, and refuses ones that cannot work', () => {
      const resolved = resolveDbOptions({ connectionString: database.connectionString, connectionTimeoutMs: 2_000, queryTimeoutMs: 3_000 });
      expect(resolved.postgres).toMatchObject({ connectionTimeoutMs: 2_000, queryTimeoutMs: 3_000 });
      expect(
        configProblems(() => resolveDbOptions({ connectionString: database.connectionString, queryTimeoutMs: 0, connectionTimeoutMs: -1 })),
      ).toEqual([
        expect.stringMatching(/connectionTimeoutMs must be a positive/),
        expect.stringMatching(/queryTimeoutMs must be a positive/),
      ]);
    });

    it('never prints the database password', async () => {
      const url = new URL(database.connectionString);
      url.password = 'sy-secret-supabase-db-password';
      const db = await createSupabaseDb({ connectionString: url.toString(), onEvent: () => {} });
      try {
        await db.query(sql`select 1`);
        const printed = [inspect(db, { depth: 10, showHidden: true }), JSON.stringify(db), String(db)].join('\n');
        expect(printed).not.toContain('sy-secret-supabase-db-password');
        expect(printed).toContain('supabase');
      } finally {
        await db.close();
      }
    });

    it('refuses a missing or malformed connection string, and never echoes the password', async () => {
      expect(configProblems(() => resolveDbOptions({ connectionString: '' }))).toEqual([
        expect.stringMatching(/connectionString is required/),
      ]);
      expect(configProblems(() => resolveDbOptions({ connectionString: 'mysql://u:topsecret@h/db' })).join(' ')).not.toContain('topsecret');
      await expect(createSupabaseDb({ connectionString: 'not a url' })).rejects.toMatchObject({ code: 'CONFIG' });
      expect(
        configProblems(() =>
          resolveDbOptions({ connectionString: database.connectionString, mode: 'transaction-pooler', statementTimeoutMs: 5_000 }),
        ),
      ).toEqual([expect.stringMatching(/statement_timeout on the database role/)]);
    });
  });

  describe('client', () => {
    it('runs on a pool of the caller, in the mode it is told, and leaves the pool open on close', async () => {
      const pool = new pg.Pool({ connectionString: database.connectionString, max: 2 });
      try {
        const db = await createSupabaseDb({ client: pool, mode: 'transaction-pooler' });
        expect(db.mode).toBe('transaction-pooler');
        const id = randomUUID();
        expect(await db.asUser({ id }, (tx) => tx.one<{ uid: string }>(sql`select auth.uid()::text as uid`))).toEqual({ uid: id });
        await db.close();
        expect((await pool.query('select 1 as n')).rows).toEqual([{ n: 1 }]);
      } finally {
        await pool.end();
      }
    });
  });
});
