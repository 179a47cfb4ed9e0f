import type { DbCapabilities, DbClient, DbPort, DbUser, QueryResult } from '../../db/port.js';
import { type SqlFragment, sql } from '../../db/sql.js';
import { SwitchyardError } from '../../errors.js';
import { type OnEvent, runOperation } from '../../events.js';
import { printsAs } from '../../redact.js';
import type { FrontOptions } from './storage.js';
import { unknownError } from './unknown-error.js';

/** What a connection (the pool, or one inside a transaction) does for a db adapter. */
export interface DbQuerier {
  query<Row>(query: SqlFragment): Promise<QueryResult<Row>>;
  /** A nested transaction: a savepoint that rolls back alone. */
  transaction<R>(fn: (tx: DbQuerier) => Promise<R>): Promise<R>;
}

/**
 * What a db adapter implements: run statements, transactions and `asUser` transactions. `one` and
 * `maybeOne` are the front layer's, on top of `query`, for the pool and for transactions alike.
 */
export interface DbDriver extends DbQuerier {
  readonly capabilities: DbCapabilities;
  asUser<R>(user: DbUser, fn: (tx: DbQuerier) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

function invalid(provider: string, operation: string, message: string): SwitchyardError {
  return new SwitchyardError({ code: 'INVALID_INPUT', port: 'db', provider, operation, message });
}

function checkFragment(query: unknown, provider: string, operation: string): asserts query is SqlFragment {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the template syntax to use.
  if (!sql.isFragment(query)) throw invalid(provider, operation, 'Pass a query built with the sql tag: sql`select ... where id = ${id}`.');
}

function checkFunction(fn: unknown, provider: string, operation: string): void {
  if (typeof fn !== 'function') throw invalid(provider, operation, `${operation} needs a function that runs the statements.`);
}

/** `one`/`maybeOne` over a querier, for the pool and for the client a transaction hands out. */
class Client implements DbClient {
  constructor(
    protected readonly querier: DbQuerier,
    readonly provider: string,
  ) {}

  async query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    checkFragment(query, this.provider, 'query');
    return this.querier.query<Row>(query);
  }

  async one<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row> {
    const row = await this.maybeOne<Row>(query);
    if (row === null) {
      throw new SwitchyardError({
        code: 'NOT_FOUND',
        port: 'db',
        provider: this.provider,
        operation: 'one',
        message: 'The query returned no row.',
      });
    }
    return row;
  }

  async maybeOne<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row | null> {
    const { rows } = await this.query<Row>(query);
    if (rows.length > 1) throw invalid(this.provider, 'maybeOne', `The query returned ${rows.length} rows where at most one was expected.`);
    return rows[0] ?? null;
  }

  async transaction<R>(fn: (tx: DbClient) => Promise<R>): Promise<R> {
    checkFunction(fn, this.provider, 'transaction');
    return this.querier.transaction((tx) => fn(new Client(tx, this.provider)));
  }
}

/** The DbPort every db adapter is reached through (see `storagePort`). */
export function dbPort(driver: DbDriver, options: FrontOptions): DbPort {
  return new FrontDb(driver, options);
}

class FrontDb extends Client implements DbPort {
  readonly capabilities: DbCapabilities;
  private readonly meta: { port: 'db'; provider: string; onEvent: OnEvent | undefined };

  constructor(
    private readonly driver: DbDriver,
    options: FrontOptions,
  ) {
    super(driver, options.provider);
    this.capabilities = driver.capabilities;
    this.meta = { port: 'db', provider: options.provider, onEvent: options.onEvent };
    printsAs(this, { provider: options.provider, port: 'db', ...options.summary });
  }

  private run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return runOperation(this.meta, operation, call, unknownError('db', this.provider, operation));
  }

  override query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    return this.run('query', () => super.query<Row>(query));
  }

  override one<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row> {
    return this.run('one', () => super.one<Row>(query));
  }

  override maybeOne<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row | null> {
    return this.run('maybeOne', () => super.maybeOne<Row>(query));
  }

  override transaction<R>(fn: (tx: DbClient) => Promise<R>): Promise<R> {
    return this.run('transaction', () => super.transaction(fn));
  }

  asUser<R>(user: DbUser, fn: (tx: DbClient) => Promise<R>): Promise<R> {
    return this.run('asUser', async () => {
      checkFunction(fn, this.provider, 'asUser');
      return this.driver.asUser(user, (tx) => fn(new Client(tx, this.provider)));
    });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
