import { randomBytes } from 'node:crypto';
import { installSupabaseCompat } from '@switchyard/postgres';
import pg from 'pg';

/** The machine's PostgreSQL (trust auth); override with SWITCHYARD_TEST_PG. */
const ADMIN_URL = process.env.SWITCHYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** With `sslmode=disable`: the local server has no TLS, and Supabase's default is to require it. */
  connectionString: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL.replace(/:[^:@/]*@/, '@')}; these tests need it running.`, {
      cause: error,
    });
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database bootstrapped the way a Supabase database is, as far as RLS needs: the roles
 * anon/authenticated/service_role and `auth.uid()`/`auth.jwt()`, from the foundation's
 * `installSupabaseCompat` (SUPABASE_COMPAT_SQL). `drop` removes it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sy_supabase_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await installSupabaseCompat({ connectionString: url.toString() });
  url.searchParams.set('sslmode', 'disable');
  return {
    connectionString: url.toString(),
    drop: () =>
      admin(async (client) => {
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        await client.query(`drop database if exists ${name}`);
      }),
  };
}
