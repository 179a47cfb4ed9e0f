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

  query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    return this.select<Row>(query, 'query');
  }

  async one<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row> {
    const row = await this.atMostOne<Row>(query, 'one');
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

  maybeOne<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row | null> {
    return this.atMostOne<Row>(query, 'maybeOne');
  }

  // `one` and `maybeOne` go through these, not through `query`, so that the port reports one event per call.
  protected async select<Row>(query: SqlFragment, operation: string): Promise<QueryResult<Row>> {
    checkFragment(query, this.provider, operation);
    try {
      return await this.querier.query<Row>(query);
    } catch (error) {
      // Inside a transaction the app's callback sees this first: a driver bug must not pass as the app's own error.
      throw unknownError('db', this.provider, operation)(error);
    }
  }

  private async atMostOne<Row>(query: SqlFragment, operation: string): Promise<Row | null> {
    const { rows } = await this.select<Row>(query, operation);
    if (rows.length > 1) throw invalid(this.provider, operation, `The query returned ${rows.length} rows where at most one was expected.`);
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

  private run<T>(operation: string, call: () => Promise<T>, own?: { thrown?: { error: unknown } }): Promise<T> {
    const wrap = unknownError('db', this.provider, operation);
    // What the app's own callback threw is the app's: rethrown as it is, never as an adapter failure.
    try {
      return runOperation(this.meta, operation, call, (error) => (own?.thrown && own.thrown.error === error ? error : wrap(error)));
    } catch (error) {
      // Input checked before any await throws here: a port method always rejects, never throws.
      return Promise.reject(error);
    }
  }

  /** `fn`, remembering what it throws in `own`. */
  private own<A, R>(fn: (arg: A) => Promise<R>, own: { thrown?: { error: unknown } }): (arg: A) => Promise<R> {
    if (typeof fn !== 'function') return fn;
    return async (arg) => {
      try {
        return await fn(arg);
      } catch (error) {
        own.thrown = { error };
        throw error;
      }
    };
  }

  override query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    return this.run('query', () => this.select<Row>(query, 'query'));
  }

  /** Not async, and no wrapping of its own: `run` wraps what it throws (one promise less per query). */
  protected override select<Row>(query: SqlFragment, operation: string): Promise<QueryResult<Row>> {
    checkFragment(query, this.provider, operation);
    return this.driver.query<Row>(query);
  }

  override one<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row> {
    return this.run('one', () => super.one<Row>(query));
  }

  override maybeOne<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row | null> {
    return this.run('maybeOne', () => super.maybeOne<Row>(query));
  }

  override transaction<R>(fn: (tx: DbClient) => Promise<R>): Promise<R> {
    const own = {};
    return this.run('transaction', () => super.transaction(this.own(fn, own)), own);
  }

  asUser<R>(user: DbUser, fn: (tx: DbClient) => Promise<R>): Promise<R> {
    const own = {};
    return this.run(
      'asUser',
      async () => {
        checkFunction(fn, this.provider, 'asUser');
        const mine = this.own(fn, own);
        return this.driver.asUser(user, (tx) => mine(new Client(tx, this.provider)));
      },
      own,
    );
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
