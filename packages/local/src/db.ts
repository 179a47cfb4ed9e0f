import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import {
  ASUSER_SETUP_SQL,
  adapterErrors,
  asUserSettings,
  compile,
  type DbCapabilities,
  type DbDriver,
  type DbPort,
  type DbQuerier,
  type DbUser,
  dbPort,
  mapPostgresError,
  type OnEvent,
  type QueryResult,
  type SqlFragment,
  SUPABASE_COMPAT_SQL,
} from '@switchyard/core/adapter';

export interface LocalDbOptions {
  /** A directory to keep the database in; in memory when absent. */
  dataDir?: string;
  /**
   * A PGlite instance to use instead of opening one (the Supabase compatibility SQL is applied to
   * it). The adapter then does not close it: its owner does.
   */
  client?: PGlite;
  /** Roles `asUser` may switch to. Default: anon, authenticated, service_role. */
  allowedRoles?: readonly string[];
  onEvent?: OnEvent | undefined;
}

type Context = { provider: string; operation: string };
const PROVIDER = 'local';
const errors = adapterErrors('db', PROVIDER);

// Marks code running inside one of this module's transactions (see LocalDb#exclusive).
const insideTransaction = new AsyncLocalStorage<LocalDb>();

/**
 * PGlite is one session: a statement from another caller while a transaction is open would run
 * inside it (and see its claims). Every top-level call therefore takes this lock.
 */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(fn: () => Promise<R>): Promise<R> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

async function run<Row>(pglite: PGlite, query: SqlFragment, context: Context): Promise<QueryResult<Row>> {
  const { text, values } = compile(query);
  try {
    const result = await pglite.query<Row>(text, values);
    const affected = result.affectedRows ?? 0;
    return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : affected };
  } catch (error) {
    throw mapPostgresError(error, context);
  }
}

async function runText(pglite: PGlite, text: string, context: Context, values?: unknown[]): Promise<void> {
  try {
    await pglite.query(text, values);
  } catch (error) {
    throw mapPostgresError(error, context);
  }
}

/** The connection a transaction hands to `fn`; nested `transaction` calls use savepoints. */
class LocalTransaction implements DbQuerier {
  private ended = false;
  private savepoints = 0;

  constructor(private readonly pglite: PGlite) {}

  end(): void {
    this.ended = true;
  }

  async query<Row>(query: SqlFragment): Promise<QueryResult<Row>> {
    this.assertOpen('query');
    return run<Row>(this.pglite, query, { provider: PROVIDER, operation: 'query' });
  }

  async transaction<R>(fn: (tx: DbQuerier) => Promise<R>): Promise<R> {
    this.assertOpen('transaction');
    const name = `sy_sp_${++this.savepoints}`;
    const context = { provider: PROVIDER, operation: 'transaction' };
    await runText(this.pglite, `savepoint ${name}`, context);
    try {
      const result = await fn(this);
      await runText(this.pglite, `release savepoint ${name}`, context);
      return result;
    } catch (error) {
      await runText(this.pglite, `rollback to savepoint ${name}`, context);
      await runText(this.pglite, `release savepoint ${name}`, context);
      throw error;
    }
  }

  private assertOpen(operation: string): void {
    if (this.ended) {
      throw errors.error(
        operation,
        'INVALID_INPUT',
        'This transaction client was used outside its transaction; run queries inside the transaction callback and await them.',
      );
    }
  }
}

/** The db driver on PGlite (PostgreSQL in WebAssembly), with Supabase's roles and `auth.uid()` installed. */
class LocalDb implements DbDriver {
  readonly capabilities: DbCapabilities = { rowLevelSecurity: true };
  private readonly lock = new Lock();
  private closed: Promise<void> | undefined;

  constructor(
    private readonly pglite: PGlite,
    private readonly allowedRoles: readonly string[] | undefined,
    /** False when the app gave the PGlite instance: its owner closes it. */
    private readonly owned: boolean,
  ) {}

  query<Row>(query: SqlFragment): Promise<QueryResult<Row>> {
    return this.exclusive('query', () => run<Row>(this.pglite, query, { provider: PROVIDER, operation: 'query' }));
  }

  transaction<R>(fn: (tx: DbQuerier) => Promise<R>): Promise<R> {
    return this.exclusive('transaction', () => this.inTransaction('transaction', undefined, fn));
  }

  async asUser<R>(user: DbUser, fn: (tx: DbQuerier) => Promise<R>): Promise<R> {
    const settings = asUserSettings(user, { provider: PROVIDER, allowedRoles: this.allowedRoles });
    return this.exclusive('asUser', () => this.inTransaction('asUser', [settings.role, settings.claims], fn));
  }

  close(): Promise<void> {
    this.closed ??= this.lock.run(async () => (this.owned ? this.pglite.close() : undefined)).catch(() => undefined);
    return this.closed;
  }

  private async inTransaction<R>(operation: string, claims: [string, string] | undefined, fn: (tx: DbQuerier) => Promise<R>): Promise<R> {
    const context = { provider: PROVIDER, operation };
    const tx = new LocalTransaction(this.pglite);
    await runText(this.pglite, 'begin', context);
    try {
      if (claims) await runText(this.pglite, ASUSER_SETUP_SQL, context, claims);
      const result = await insideTransaction.run(this, () => fn(tx));
      await runText(this.pglite, 'commit', context);
      return result;
    } catch (error) {
      await this.pglite.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      tx.end();
    }
  }

  private async exclusive<R>(operation: string, fn: () => Promise<R>): Promise<R> {
    if (this.closed) {
      throw errors.error(operation, 'UNAVAILABLE', 'This database port was closed; open a new one to run more queries.', {
        retryable: false,
      });
    }
    if (insideTransaction.getStore() === this) {
      // The port itself would wait for the open transaction to end: a deadlock. With node-postgres
      // it would silently run outside the transaction instead; either way it is a bug to report.
      throw errors.error(
        operation,
        'INVALID_INPUT',
        `${operation} was called on the database port inside a transaction; use the transaction client passed to your callback.`,
      );
    }
    return this.lock.run(fn);
  }
}

/** Opens (or creates) the database, or takes the given one, and applies the Supabase compatibility SQL. */
async function openPglite(options: LocalDbOptions): Promise<PGlite> {
  if (options.client) return options.client;
  // Loaded here, not at import: apps that use only storage, auth or pub/sub never pay for it.
  const { PGlite } = await import('@electric-sql/pglite');
  // PGlite creates only the last folder of a path; a fresh checkout has none of its parents.
  if (options.dataDir && !options.dataDir.includes('://')) await mkdir(options.dataDir, { recursive: true });
  return PGlite.create(options.dataDir);
}

/**
 * Opens a PGlite DbPort (reporting to `onEvent` when given). It prints as its data directory: a
 * PGlite instance prints as its whole WebAssembly heap (well over 100 MB of text), data included.
 */
export async function createLocalDb(options: LocalDbOptions = {}): Promise<DbPort> {
  let pglite: PGlite;
  try {
    pglite = await openPglite(options);
    await pglite.exec(SUPABASE_COMPAT_SQL);
  } catch (error) {
    throw mapPostgresError(error, { provider: PROVIDER, operation: 'open' });
  }
  const driver = new LocalDb(pglite, options.allowedRoles, options.client === undefined);
  const dataDir = options.client ? 'client' : (options.dataDir ?? 'memory');
  return dbPort(driver, { provider: PROVIDER, onEvent: options.onEvent, summary: { dataDir } });
}
