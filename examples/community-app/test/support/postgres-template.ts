import { randomBytes } from 'node:crypto';
import { type DbPort, SwitchyardError, sql } from '@switchyard/core';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { migrate } from '../../src/db/migrate.js';
import { schemaKey } from './schema-key.js';

/** The machine's PostgreSQL (trust auth), as the other packages' tests use it; SWITCHYARD_TEST_PG overrides. */
const ADMIN_URL = process.env.SWITCHYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'community_app_tmpl_';

function urlOf(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminDb<T>(fn: (db: DbPort) => Promise<T>): Promise<T> {
  const db = await createPostgresDb({ connectionString: ADMIN_URL });
  try {
    return await fn(db);
  } catch (error) {
    if (SwitchyardError.hasCode(error, 'UNAVAILABLE')) {
      throw new Error(
        `PostgreSQL is not reachable at ${ADMIN_URL}; these tests need it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start).`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    await db.close();
  }
}

/**
 * A migrated template database, made once per schema (migrating, with `create extension postgis`,
 * takes seconds; copying a template takes a fraction of one). Built under a temporary name and
 * renamed, so two workers racing to build it both end up using one.
 */
async function template(): Promise<string> {
  const name = `${PREFIX}${schemaKey()}`;
  const found = await adminDb((db) => db.maybeOne(sql`select 1 from pg_database where datname = ${name}`));
  if (found) return name;
  const building = `${PREFIX}building_${randomBytes(4).toString('hex')}`;
  await adminDb((db) => db.query(sql`create database ${sql.ident(building)}`));
  await installSupabaseCompat({ connectionString: urlOf(building) });
  const db = await createPostgresDb({ connectionString: urlOf(building) });
  try {
    const offered = await db.maybeOne(sql`select 1 from pg_available_extensions where name = 'postgis'`);
    if (!offered) throw new Error('PostgreSQL on this machine has no PostGIS: apt-get install -y postgresql-15-postgis-3 (.ci/run does).');
    await migrate(db);
  } finally {
    await db.close();
  }
  await adminDb(async (admin) => {
    try {
      await admin.query(sql`alter database ${sql.ident(building)} rename to ${sql.ident(name)}`);
    } catch (error) {
      // Another worker finished first: use theirs.
      if (!(await admin.maybeOne(sql`select 1 from pg_database where datname = ${name}`))) throw error;
      await admin.query(sql`drop database ${sql.ident(building)}`);
    }
  });
  return name;
}

export interface TestPostgres {
  connectionString: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database (with PostGIS) copied from the template; `drop` removes it. */
export async function createAppDatabase(): Promise<TestPostgres> {
  const source = await template();
  const name = `community_app_test_${randomBytes(6).toString('hex')}`;
  await adminDb((db) => db.query(sql`create database ${sql.ident(name)} template ${sql.ident(source)}`));
  return {
    connectionString: urlOf(name),
    drop: () =>
      adminDb(async (db) => {
        await db.query(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`);
        await db.query(sql`drop database if exists ${sql.ident(name)}`);
      }),
  };
}
