import { type DbPort, SwitchyardError, sql } from '@switchyard/core/adapter';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy } from './counting-proxy.js';

const whoAmI = sql`select current_user::text as role, nullif(current_setting('request.jwt.claims', true), '') as claims`;
const USER = { id: '00000000-0000-4000-8000-0000000000aa' };

describe('PostgresDb transaction opening', () => {
  let database: TestDatabase;
  let db: DbPort;

  beforeAll(async () => {
    database = await createTestDatabase({ prepare: installSupabaseCompat });
    db = await createPostgresDb({ connectionString: database.connectionString });
    await db.query(sql`create table opening_items (id int primary key)`);
    await db.query(sql`grant select, insert on opening_items to authenticated`);
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('sends BEGIN and set_config with the first parameterised query: asUser costs one round trip more than a query', async () => {
    const url = new URL(database.connectionString);
    const proxy = await startCountingProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    const proxied = await createPostgresDb({ connectionString: url.toString(), max: 1 });
    try {
      await proxied.query(sql`select 1`);
      const count = async (call: () => Promise<unknown>) => {
        const before = proxy.roundTrips;
        await call();
        return proxy.roundTrips - before;
      };
      expect(await count(() => proxied.query(sql`select ${1}::int`))).toBe(1);
      expect(await count(() => proxied.asUser(USER, (tx) => tx.query(sql`select auth.uid() = ${USER.id}::uuid as me`)))).toBe(2);
      expect(await count(() => proxied.transaction((tx) => tx.query(sql`select ${1}::int`)))).toBe(2);
      // Nothing to scope: a callback that never queries sends nothing at all.
      expect(await count(() => proxied.asUser(USER, async () => 'nothing'))).toBe(0);
    } finally {
      await proxied.close();
      await proxy.close();
    }
  });

  it('runs the first query inside the scoped transaction, with or without parameters, and concurrent ones too', async () => {
    const uid = sql`select auth.uid()::text as uid`;
    expect(await db.asUser(USER, (tx) => tx.one(sql`select auth.uid()::text as uid where ${1} = 1`))).toEqual({ uid: USER.id });
    expect(await db.asUser(USER, (tx) => tx.one(uid))).toEqual({ uid: USER.id });
    const all = await db.asUser(USER, (tx) =>
      Promise.all([1, 2, 3].map((n) => tx.one<{ uid: string }>(sql`select auth.uid()::text as uid where ${n} > 0`))),
    );
    expect(all).toEqual([{ uid: USER.id }, { uid: USER.id }, { uid: USER.id }]);
    expect(await db.asUser(USER, (tx) => tx.transaction((inner) => inner.one(uid)))).toEqual({ uid: USER.id });
  });

  it('rolls back the opening with the first query when that query fails', async () => {
    const error = await db
      .asUser(USER, async (tx) => {
        await tx.query(sql`insert into opening_items values (${1})`);
        await tx.query(sql`select 1 / ${0}::int`);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', operation: 'query' });
    expect((await db.query(sql`select * from opening_items`)).rows).toEqual([]);
  });

  it('never runs a statement when set_config fails, fails asUser even if fn swallows the error, and leaks nothing', async () => {
    // A role the allow-list accepts but the database lacks: set_config('role', …) fails on the server.
    const single = await createPostgresDb({ connectionString: database.connectionString, max: 1, allowedRoles: ['sy_no_such_role'] });
    try {
      const before = await single.one(whoAmI);
      const swallowed: unknown[] = [];
      const error = await single
        .asUser({ id: USER.id, role: 'sy_no_such_role' }, async (tx) => {
          await tx.query(sql`insert into opening_items values (${1})`).catch((e: unknown) => swallowed.push(e));
          await tx.query(sql`insert into opening_items values (${2})`).catch((e: unknown) => swallowed.push(e));
          return 'fn finished';
        })
        .catch((e: unknown) => e);
      expect(SwitchyardError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ port: 'db', provider: 'postgres', operation: 'asUser' });
      expect(String((error as Error).message)).toContain('sy_no_such_role');
      expect(swallowed).toEqual([error, error]);
      expect((await single.query(sql`select * from opening_items`)).rows).toEqual([]);
      expect(await single.one(whoAmI)).toEqual(before);
    } finally {
      await single.close();
    }
  });
});
