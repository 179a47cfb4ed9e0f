import { compile, type DbClient, mapPostgresError, type QueryResult, type SqlFragment, SwitchyardError, singleRow } from '@switchyard/core';
import type { PoolClient } from 'pg';
import { PreludedQuery, type Statement } from './prelude-query.js';

type Context = { provider: string; operation: string };

/**
 * Runs compiled fragments on one checked-out connection: the client a transaction hands to `fn`.
 *
 * The transaction's opening statements (BEGIN, and set_config for asUser) are not sent on their
 * own: they go out with the first query, before the same Sync, so opening costs no round trip of
 * its own and the query cannot run if they fail. A transaction that never queries sends nothing.
 */
export class TransactionClient implements DbClient {
  private ended = false;
  private savepoints = 0;
  /** The opening statements while they are still unsent. */
  private opening: readonly Statement[] | undefined;
  /** Settles when the opening statements have run; rejects with their (mapped) failure. */
  private opened: Promise<void> | undefined;
  /** Set once `opened` has resolved: later queries are sent at once, in call order. */
  private isOpen = false;

  constructor(
    private readonly client: PoolClient,
    private readonly provider: string,
    opening: readonly Statement[],
    private readonly context: Context,
  ) {
    this.opening = opening;
  }

  /** Whether anything was sent, so the transaction needs a COMMIT or ROLLBACK. */
  get started(): boolean {
    return this.opening === undefined;
  }

  /** Sends the opening statements if they are still unsent; rejects when they failed. */
  begin(): Promise<void> {
    if (this.opening) {
      const statements = [...this.opening];
      this.opening = undefined;
      // The last statement carries the ones before it; BEGIN alone is plain text.
      const last = statements.pop()!;
      this.track(
        statements.length === 0
          ? runText(this.client, last.text, this.context)
          : this.send(statements, last.text, last.values ?? []).result.then(() => undefined),
      );
    }
    return this.opened ?? Promise.resolve();
  }

  /** Called when the transaction that owns this client commits or rolls back. */
  end(): void {
    this.ended = true;
  }

  async query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    this.assertOpen('query');
    const context = { provider: this.provider, operation: 'query' };
    if (this.opening) {
      const { text, values } = compile(query);
      // A query without parameters may be several statements (simple protocol), which cannot share the Sync.
      if (values.length > 0) {
        const opening = this.opening;
        this.opening = undefined;
        const batch = this.send(opening, text, values);
        this.track(batch.prelude);
        try {
          const result = await batch.result;
          const rows = result.rows as Row[];
          return { rows, rowCount: result.rowCount ?? rows.length };
        } catch (error) {
          // Both settle; when the opening failed, that is the error to report.
          await this.opened;
          throw mapPostgresError(error, context);
        }
      }
    }
    // Until the opening has succeeded nothing else is sent: it would run outside the transaction.
    if (!this.isOpen) await this.begin();
    return runQuery<Row>(this.client, query, context);
  }

  async one<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row> {
    return singleRow(await this.query<Row>(query), true, { provider: this.provider, operation: 'one' }) as Row;
  }

  async maybeOne<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row | null> {
    return singleRow(await this.query<Row>(query), false, { provider: this.provider, operation: 'maybeOne' });
  }

  /** A nested transaction: a savepoint that rolls back alone when `fn` throws. */
  async transaction<R>(fn: (tx: DbClient) => Promise<R>): Promise<R> {
    this.assertOpen('transaction');
    if (!this.isOpen) await this.begin();
    const name = `sy_sp_${++this.savepoints}`;
    const context = { provider: this.provider, operation: 'transaction' };
    await runText(this.client, `savepoint ${name}`, context);
    let result: R;
    try {
      result = await fn(this);
    } catch (error) {
      await runText(this.client, `rollback to savepoint ${name}`, context);
      await runText(this.client, `release savepoint ${name}`, context);
      throw error;
    }
    await runText(this.client, `release savepoint ${name}`, context);
    return result;
  }

  /** Queues `opening` and the query to go out under one Sync, in call order like any other query. */
  private send(opening: readonly Statement[], text: string, values: unknown[]): PreludedQuery {
    const batch = new PreludedQuery(opening, text, values);
    this.client.query(batch);
    return batch;
  }

  private track(opening: Promise<void>): void {
    const opened = opening.then(
      () => {
        this.isOpen = true;
      },
      (error: unknown) => {
        throw SwitchyardError.isInstance(error) ? error : mapPostgresError(error, this.context);
      },
    );
    // Whoever sends next or commits awaits it; this only keeps a failure from being "unhandled".
    opened.catch(() => undefined);
    this.opened = opened;
  }

  private assertOpen(operation: string): void {
    if (this.ended) {
      throw new SwitchyardError({
        code: 'INVALID_INPUT',
        port: 'db',
        provider: this.provider,
        operation,
        message: 'This transaction client was used outside its transaction; run queries inside the transaction callback and await them.',
      });
    }
  }
}

/** Executes a fragment with bound parameters; never a named prepared statement (Supavisor transaction mode, RDS Proxy). */
export async function runQuery<Row>(client: Pick<PoolClient, 'query'>, query: SqlFragment, context: Context): Promise<QueryResult<Row>> {
  const { text, values } = compile(query);
  try {
    // (text, values) rather than a config object, which pg would clone.
    const result = await client.query(text, values);
    const rows = result.rows as Row[];
    return { rows, rowCount: result.rowCount ?? rows.length };
  } catch (error) {
    throw mapPostgresError(error, context);
  }
}

/** Executes fixed SQL text this package writes itself (BEGIN, SAVEPOINT …). */
export async function runText(client: Pick<PoolClient, 'query'>, text: string, context: Context, values?: unknown[]): Promise<void> {
  try {
    await client.query(text, values);
  } catch (error) {
    throw mapPostgresError(error, context);
  }
}
