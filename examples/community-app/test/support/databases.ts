import { type DbPort, sql } from '@switchyard/core';
import { createLocalDb } from '@switchyard/local';
import { createPostgresDb } from '@switchyard/postgres';
import { createTestDatabase } from '../../../../packages/postgres/test/test-database.js';
import { migrate } from '../../src/db/migrate.js';

/** A migrated database and how to throw it away. */
export interface MigratedDb {
  db: DbPort;
  connectionString?: string;
  drop(): Promise<void>;
}

/** The embedded default: PGlite in memory, which has no PostGIS. */
export async function pgliteDb(): Promise<MigratedDb> {
  const db = await createLocalDb({});
  await migrate(db);
  return { db, drop: () => db.close() };
}

/**
 * A fresh database on the machine's PostgreSQL, which must offer PostGIS (Debian's
 * postgresql-15-postgis-3; .ci/run installs it): this is the path RDS and Supabase take.
 */
export async function postgisDb(): Promise<MigratedDb> {
  const database = await createTestDatabase();
  const db = createPostgresDb({ connectionString: database.connectionString });
  const offered = await db.maybeOne(sql`select 1 from pg_available_extensions where name = 'postgis'`);
  if (!offered) {
    await db.close();
    await database.drop();
    throw new Error('PostgreSQL on this machine has no PostGIS: apt-get install -y postgresql-15-postgis-3 (.ci/run does).');
  }
  await migrate(db);
  return {
    db,
    connectionString: database.connectionString,
    drop: async () => {
      await db.close();
      await database.drop();
    },
  };
}

export interface Member {
  id: string;
  name: string;
  lat: number;
  lng: number;
  hobbies: string[];
}

/** Writes profiles directly, as the server (row-level security does not apply to it). */
export async function addMembers(db: DbPort, members: readonly Member[]): Promise<void> {
  for (const m of members) {
    await db.query(sql`insert into profiles (id, display_name, place, lat, lng, hobbies)
      values (${m.id}, ${m.name}, ${m.name}, ${m.lat}, ${m.lng}, ${m.hobbies}::text[])`);
  }
}
