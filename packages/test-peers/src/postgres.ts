import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL (trust auth); override with SWITCHYARD_TEST_PG. */
const ADMIN_URL = process.env.SWITCHYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  connectionString: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Start of the database's name, before random hex. Default `sy_test_`. */
  prefix?: string;
  /**
   * Run on the fresh database before it is handed out: the schema the tests need. Adapter code
   * comes in here (e.g. `prepare: installSupabaseCompat` from `@switchyard/postgres`), since this
   * package may not import the adapters.
   */
  prepare?: (database: { connectionString: string }) => Promise<void>;
  /**
   * Prepare a template database of this name once (while no database of that name exists) and copy
   * it for each call: copying takes a fraction of a second where migrating can take seconds. The
   * name should change whenever what `prepare` makes does.
   */
  template?: string;
  /** Added to the returned connection string, e.g. `{ sslmode: 'disable' }` for a client that requires TLS by default. */
  searchParams?: Record<string, string>;
  /** The server's administrative database. Default SWITCHYARD_TEST_PG, else the local server. */
  adminUrl?: string;
}

function urlOf(adminUrl: string, database: string, searchParams: Record<string, string> = {}): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  for (const [name, value] of Object.entries(searchParams)) url.searchParams.set(name, value);
  return url.toString();
}

async function admin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl.replace(/:[^:@/]*@/, '@')}; these tests need it running. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function exists(adminUrl: string, name: string): Promise<boolean> {
  return admin(adminUrl, async (client) => (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

/** Runs `prepare` on the new database `name`; when it fails, the half-made database goes. */
async function prepareOrDrop(adminUrl: string, name: string, prepare: TestDatabaseOptions['prepare']): Promise<void> {
  try {
    await prepare?.({ connectionString: urlOf(adminUrl, name) });
  } catch (error) {
    await admin(adminUrl, (client) => client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
    throw error;
  }
}

/**
 * The prepared template database: built under a temporary name and renamed, so two workers racing
 * to build it both end up using one.
 */
async function template(adminUrl: string, name: string, prepare: TestDatabaseOptions['prepare']): Promise<string> {
  if (await exists(adminUrl, name)) return name;
  const building = `${name.slice(0, 40)}_building_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, (client) => client.query(`create database ${pg.escapeIdentifier(building)}`));
  await prepareOrDrop(adminUrl, building, prepare);
  await admin(adminUrl, async (client) => {
    try {
      await client.query(`alter database ${pg.escapeIdentifier(building)} rename to ${pg.escapeIdentifier(name)}`);
    } catch (error) {
      // Another worker finished first: use theirs.
      if (!(await exists(adminUrl, name))) throw error;
      await client.query(`drop database ${pg.escapeIdentifier(building)}`);
    }
  });
  return name;
}

/** A fresh database, prepared (or copied from a prepared template) as `options` say; `drop` removes it. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? ADMIN_URL;
  const name = `${options.prefix ?? 'sy_test_'}${randomBytes(6).toString('hex')}`;
  const source = options.template ? await template(adminUrl, options.template, options.prepare) : undefined;
  const copy = source ? ` template ${pg.escapeIdentifier(source)}` : '';
  await admin(adminUrl, (client) => client.query(`create database ${pg.escapeIdentifier(name)}${copy}`));
  if (!source) await prepareOrDrop(adminUrl, name, options.prepare);
  return {
    connectionString: urlOf(adminUrl, name, options.searchParams),
    drop: () =>
      admin(adminUrl, async (client) => {
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        await client.query(`drop database if exists ${pg.escapeIdentifier(name)}`);
      }),
  };
}
