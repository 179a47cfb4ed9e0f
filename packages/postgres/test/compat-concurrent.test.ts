import { installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

// Roles are the cluster's: app instances (or test workers) starting together on fresh databases of
// one cluster install the compatibility roles at the same moment. CI once failed here with
// "tuple concurrently updated" on `alter role service_role bypassrls`.
describe('installSupabaseCompat on several databases of one cluster at once', () => {
  const databases: TestDatabase[] = [];
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  it('succeeds on every one, and each has the roles and auth.uid()', async () => {
    databases.push(...(await Promise.all(Array.from({ length: 6 }, () => createTestDatabase({ prepare: installSupabaseCompat })))));
    for (const database of databases) {
      const client = new pg.Client({ connectionString: database.connectionString });
      await client.connect();
      try {
        const { rows } = await client.query(
          "select (select rolbypassrls from pg_roles where rolname = 'service_role') as bypass, to_regprocedure('auth.uid()') is not null as uid",
        );
        expect(rows[0]).toEqual({ bypass: true, uid: true });
      } finally {
        await client.end();
      }
    }
  }, 60_000);
});
