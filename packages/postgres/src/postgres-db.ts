import type { DbCapabilities, DbDriver, DbPort, DbQuerier, DbUser, QueryResult, SqlFragment } from '@switchyard/core/adapter/db';
import { ASUSER_SETUP_SQL, asUserSettings, compile, dbPort } from '@switchyard/core/adapter/db';
import type pg from 'pg';
import { rows, type Statement, TransactionClient } from './connection.js';
import { mapDbError, portClosed } from './errors.js';
import { Lease, type Pool } from './lease.js';
import type { PostgresDbOptions } from './options.js';
import { loadPg } from './pg-module.js';
import { QueryWatchdog } from './query-watchdog.js';

export type { PostgresDbOptions } from './options.js';

/**
 * The node-postgres driver behind `dbPort`: one pool, transactions with savepoints,
 * PostgREST-identical `asUser`. `one`/`maybeOne`, input checks and events are the front layer's.
 */
export class PostgresDriver implements DbDriver {
  readonly provider: string;
  readonly capabilities: DbCapabilities = { rowLevelSecurity: true };
  private readonly pool: Pool;
  private readonly allowedRoles: readonly string[] | undefined;
  /** A pool the caller gave is theirs to end. */
  private readonly ownsPool: boolean;
  private closed: Promise<void> | undefined;

  /** `Pool`: pg's, which `createPostgresDb` loads; not needed when `options.client` is given. */
  constructor(options: PostgresDbOptions, Pool?: typeof pg.Pool) {
    this.provider = options.provider ?? 'postgres';
    this.allowedRoles = options.allowedRoles;
    this.ownsPool = options.client === undefined;
    const max = options.max ?? options.client?.options.max ?? 10;
    const statementTimeout = options.statementTimeoutMs ?? 30_000;
    // The client-side bound, for a server or network that stops answering: a little above the
    // statement timeout, so that the server's own cancel (57014, connection intact) normally wins.
    const queryTimeoutMs = options.queryTimeoutMs ?? (statementTimeout > 0 ? statementTimeout : 30_000) + 5_000;
    if (!options.client && !Pool) throw new TypeError('PostgresDriver needs pg.Pool when no client is given');
    const pool = options.client ?? this.newPool(Pool as typeof pg.Pool, options, max, statementTimeout);
    this.pool = { pg: pool, max, watchdog: new QueryWatchdog(queryTimeoutMs), queryTimeoutMs };
  }

  private newPool(Pool: typeof pg.Pool, options: PostgresDbOptions, max: number, statementTimeout: number): pg.Pool {
    const pool = new Pool({
      ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.database === undefined ? {} : { database: options.database }),
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
      max,
      idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      // A connection option, not a session SET, so it also holds behind poolers that reset sessions.
      ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
      application_name: 'switchyard',
      // Statements issued together are written together: a transaction's BEGIN (and asUser's
      // set_config) leave with its first query, in one round trip (see TransactionClient).
      pipeline: true,
    });
    // An idle connection that dies (server restart, failover) emits 'error' on the pool; without a
    // listener Node would crash the process. The pool drops the client and the next query reconnects.
    pool.on('error', () => {});
    return pool;
  }

  async query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    this.assertOpen('query');
    const context = { provider: this.provider, operation: 'query' };
    const { text, values } = compile(query);
    const lease = await Lease.open(this.pool, context);
    try {
      for (;;) {
        try {
          // Never a named prepared statement (Supavisor transaction mode, RDS Proxy).
          return rows<Row>(await lease.send(text, values));
        } catch (error) {
          if (await lease.retry(error)) continue;
          throw mapDbError(error, context);
        }
      }
    } finally {
      lease.release();
    }
  }

  async transaction<R>(fn: (tx: DbQuerier) => Promise<R>): Promise<R> {
    return this.inTransaction('transaction', undefined, fn);
  }

  async asUser<R>(user: DbUser, fn: (tx: DbQuerier) => Promise<R>): Promise<R> {
    // Validated before a connection is taken: a bad role never reaches the server.
    const settings = asUserSettings(user, { provider: this.provider, allowedRoles: this.allowedRoles });
    return this.inTransaction('asUser', [settings.role, settings.claims], fn);
  }

  close(): Promise<void> {
    this.closed ??= this.ownsPool ? this.pool.pg.end().catch(() => undefined) : Promise.resolve();
    return this.closed;
  }

  private async inTransaction<R>(operation: string, claims: [string, string] | undefined, fn: (tx: DbQuerier) => Promise<R>): Promise<R> {
    this.assertOpen(operation);
    const context = { provider: this.provider, operation };
    const lease = await Lease.open(this.pool, context);
    const opening: Statement[] = [{ text: 'begin' }];
    // Role and claims together, transaction-local as PostgREST sets them.
    if (claims) opening.push({ text: ASUSER_SETUP_SQL, values: claims });
    const tx = new TransactionClient(lease, this.provider, opening, context);
    try {
      const result = await fn(tx);
      // A callback that never queried sent nothing: there is nothing to commit.
      if (tx.started) {
        // Throws when the opening failed, even if `fn` swallowed that error.
        await tx.begin();
        await tx.commit();
      }
      return result;
    } catch (error) {
      // A connection that is gone or in doubt is destroyed instead: the server rolls back what it held.
      if (tx.started && lease.usable) {
        try {
          await lease.send('rollback');
        } catch (rollbackError) {
          // Whatever state it is in, it does not go back to the pool.
          lease.condemn(rollbackError);
        }
      }
      throw error;
    } finally {
      tx.end();
      lease.release();
    }
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw portClosed({ provider: this.provider, operation });
  }
}

/**
 * Creates a PostgreSQL DbPort (reporting to `onEvent` when given). The pool connects on first use:
 * an unreachable server shows up as UNAVAILABLE on the first query, not here. Async like every
 * other factory; pg is loaded here, not when the module is imported, so importing costs only what
 * the package adds (measured in bench row 6).
 */
export async function createPostgresDb(options: PostgresDbOptions): Promise<DbPort> {
  const driver = new PostgresDriver(options, options.client ? undefined : (await loadPg()).Pool);
  // The pool holds the password and the connection string; only where it connects may print.
  return dbPort(driver, { provider: driver.provider, onEvent: options.onEvent, summary: where(options) });
}

function where(options: PostgresDbOptions): Record<string, unknown> {
  let url: URL | undefined;
  try {
    url = options.connectionString === undefined ? undefined : new URL(options.connectionString);
  } catch {
    url = undefined;
  }
  return {
    host: options.host ?? url?.hostname,
    database: options.database ?? (url && url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined),
    user: options.user ?? (url?.username ? decodeURIComponent(url.username) : undefined),
  };
}
