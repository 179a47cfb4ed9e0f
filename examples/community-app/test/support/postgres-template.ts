import { sql } from '@switchyard/core';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import { migrate } from '../../src/db/migrate.js';
import { schemaKey } from './schema-key.js';

export type TestPostgres = TestDatabase;

/** The app's schema, with PostGIS, on a database that has the Supabase roles. */
async function prepare({ connectionString }: { connectionString: string }): Promise<void> {
  await installSupabaseCompat({ connectionString });
  const db = await createPostgresDb({ connectionString });
  try {
    const offered = await db.maybeOne(sql`select 1 from pg_available_extensions where name = 'postgis'`);
    if (!offered) throw new Error('PostgreSQL on this machine has no PostGIS: apt-get install -y postgresql-15-postgis-3 (.ci/run does).');
    await migrate(db);
  } finally {
    await db.close();
  }
}

/**
 * A fresh, migrated database (with PostGIS) copied from a template made once per schema
 * (migrating, with `create extension postgis`, takes seconds; copying a template a fraction of one).
 */
export function createAppDatabase(): Promise<TestPostgres> {
  return createTestDatabase({ prefix: 'community_app_test_', template: `community_app_tmpl_${schemaKey()}`, prepare });
}
