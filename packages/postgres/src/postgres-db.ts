import {
  ASUSER_SETUP_SQL,
  asUserSettings,
  type DbCapabilities,
  type DbClient,
  type DbPort,
  type DbUser,
  mapPostgresError,
  observe,
  type QueryResult,
  type SqlFragment,
  SwitchyardError,
  singleRow,
} from '@switchyard/core';
import pg from 'pg';
import { runQuery, runText, TransactionClient } from './connection.js';
import type { PostgresDbOptions } from './options.js';
import type { Statement } from './prelude-query.js';

export type { PostgresDbOptions } from './options.js';

/** The node-postgres DbPort: one pool, transactions with savepoints, PostgREST-identical `asUser`. */
export class PostgresDb implements DbPort {
  readonly provider: string;
  readonly capabilities: DbCapabilities = { rowLevelSecurity: true };
  private readonly pool: pg.Pool;
  private readonly allowedRoles: readonly string[] | undefined;
  private closed: Promise<void> | undefined;

  constructor(options: PostgresDbOptions) {
    this.provider = options.provider ?? 'postgres';
    this.allowedRoles = options.allowedRoles;
    const statementTimeout = options.statementTimeoutMs ?? 30_000;
    this.pool = new pg.Pool({
      ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.database === undefined ? {} : { database: options.database }),
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
      max: options.max ?? 10,
      idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      // A connection option, not a session SET, so it also holds behind poolers that reset sessions.
      ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
      application_name: 'switchyard',
    });
    // An idle connection that dies (server restart, failover) emits 'error' on the pool; without a
    // listener Node would crash the process. The pool drops the client and the next query reconnects.
    this.pool.on('error', () => {});
  }

  async query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    this.assertOpen('query');
    return runQuery<Row>(this.pool, query, { provider: this.provider, operation: 'query' });
  }

  async one<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row> {
    return singleRow(await this.query<Row>(query), true, { provider: this.provider, operation: 'one' }) as Row;
  }

  async maybeOne<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row | null> {
    return singleRow(await this.query<Row>(query), false, { provider: this.provider, operation: 'maybeOne' });
  }

  async transaction<R>(fn: (tx: DbClient) => Promise<R>): Promise<R> {
    return this.inTransaction('transaction', undefined, fn);
  }

  async asUser<R>(user: DbUser, fn: (tx: DbClient) => Promise<R>): Promise<R> {
    // Validated before a connection is taken: a bad role never reaches the server.
    const settings = asUserSettings(user, { provider: this.provider, allowedRoles: this.allowedRoles });
    return this.inTransaction('asUser', [settings.role, settings.claims], fn);
  }

  close(): Promise<void> {
    this.closed ??= this.pool.end().catch(() => undefined);
    return this.closed;
  }

  private async inTransaction<R>(operation: string, claims: [string, string] | undefined, fn: (tx: DbClient) => Promise<R>): Promise<R> {
    this.assertOpen(operation);
    const context = { provider: this.provider, operation };
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw mapPostgresError(error, context);
    }
    const opening: Statement[] = [{ text: 'begin' }];
    // Role and claims together, transaction-local as PostgREST sets them.
    if (claims) opening.push({ text: ASUSER_SETUP_SQL, values: claims });
    const tx = new TransactionClient(client, this.provider, opening, context);
    let broken: Error | undefined;
    // A checked-out client emits 'error' when its connection dies; the failing query reports it,
    // so the event only needs a listener to keep Node from treating it as unhandled.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      const result = await fn(tx);
      // A callback that never queried sent nothing: there is nothing to commit.
      if (tx.started) {
        // Throws when the opening failed, even if `fn` swallowed that error.
        await tx.begin();
        await runText(client, 'commit', context);
      }
      return result;
    } catch (error) {
      if (tx.started) {
        try {
          await client.query('rollback');
        } catch (rollbackError) {
          // The connection is unusable (terminated, network): destroy it instead of pooling it.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
      }
      throw error;
    } finally {
      tx.end();
      client.off('error', onError);
      client.release(broken);
    }
  }

  private assertOpen(operation: string): void {
    if (this.closed) {
      throw new SwitchyardError({
        code: 'UNAVAILABLE',
        port: 'db',
        provider: this.provider,
        operation,
        retryable: false,
        message: 'This database port was closed; create a new one to run more queries.',
      });
    }
  }
}

/** Creates a PostgreSQL DbPort (reporting to `onEvent` when given). */
export function createPostgresDb(options: PostgresDbOptions): DbPort {
  return observe(new PostgresDb(options), { port: 'db', provider: options.provider ?? 'postgres', onEvent: options.onEvent });
}
