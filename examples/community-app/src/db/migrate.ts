import { type DbClient, type DbPort, sql } from '@switchyard/core';
import { MIGRATIONS } from './migrations/index.js';

/** One step of the schema; applied once, in order, recorded in `app_migrations`. */
export interface Migration {
  version: number;
  name: string;
  up(tx: DbClient): Promise<void>;
}

/**
 * Serialises migrations between processes: the app's instances and the match job may start at the
 * same moment. A transaction-scoped lock, so it also works behind a transaction-mode pooler
 * (Supavisor, RDS Proxy), which session-level advisory locks do not.
 */
const MIGRATION_LOCK = 7_241_001;

/**
 * Brings the schema up to date through the DbPort: every pending migration in one transaction, so a
 * failed step leaves the database as it was. Safe to call at every start; returns what it applied.
 */
export async function migrate(db: DbPort, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK}::bigint)`);
    await tx.query(sql`create table if not exists app_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows } = await tx.query<{ version: number }>(sql`select version from app_migrations`);
    const done = new Set(rows.map((row) => Number(row.version)));
    const applied: string[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await migration.up(tx);
      await tx.query(sql`insert into app_migrations (version, name) values (${migration.version}, ${migration.name})`);
      applied.push(`${migration.version} ${migration.name}`);
    }
    return applied;
  });
}

/** How this database computes distances, chosen by the distance migration: `postgis` or `haversine`. */
export async function distanceMethod(db: DbClient): Promise<'postgis' | 'haversine'> {
  const row = await db.one<{ method: 'postgis' | 'haversine' }>(sql`select app_distance_method() as method`);
  return row.method;
}
