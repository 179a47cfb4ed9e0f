import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DbPort, sql } from '@switchyard/core';
import { createLocalDb } from '@switchyard/local';
import { createPostgresDb } from '@switchyard/postgres';
import { seedLocalDatabase } from './pglite-template.js';
import { createAppDatabase } from './postgres-template.js';

/** A migrated database and how to throw it away. */
export interface MigratedDb {
  db: DbPort;
  connectionString?: string;
  drop(): Promise<void>;
}

/** The embedded default, PGlite, which has no PostGIS; a copy of the migrated template. */
export async function pgliteDb(): Promise<MigratedDb> {
  const dir = await mkdtemp(join(tmpdir(), 'community-app-db-'));
  await seedLocalDatabase(dir);
  const db = await createLocalDb({ dataDir: join(dir, 'db') });
  return {
    db,
    drop: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL with PostGIS (Debian's postgresql-15-postgis-3, which .ci/run installs): the path RDS and Supabase take. */
export async function postgisDb(): Promise<MigratedDb> {
  const database = await createAppDatabase();
  const db = await createPostgresDb({ connectionString: database.connectionString });
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
