import type { DbQuerier } from '@switchyard/core/adapter/db';
import { compile, type QueryResult, type SqlFragment, type SwitchyardError } from '@switchyard/core/adapter/db';
import type pg from 'pg';
import { commitInDoubt, connectionLost, mapDbError, neverSent, outsideTransaction } from './errors.js';
import type { Lease } from './lease.js';

type Context = { provider: string; operation: string };

/** A statement this package writes itself, with bound (never inlined) string parameters. */
export interface Statement {
  text: string;
  values?: string[];
}

/**
 * Runs compiled fragments on one checked-out connection: the client a transaction hands to `fn`.
 *
 * The transaction's opening statements (BEGIN, and set_config for asUser) are not sent on their
 * own: they go out with the first query, all written at once on a connection in pg's pipeline
 * mode, so opening costs no round trip of its own. Each has its own Sync, and the query still
 * cannot run without them: a failed set_config aborts the transaction, after which the server
 * refuses every statement until ROLLBACK; BEGIN itself fails only inside a transaction that is
 * already aborted, with the same effect. A transaction that never queries sends nothing.
 */
export class TransactionClient implements DbQuerier {
  private ended = false;
  private savepoints = 0;
  /** The opening statements while they are still unsent. */
  private opening: readonly Statement[] | undefined;
  /** Settles when the opening statements have run; rejects with their (mapped) failure. */
  private opened: Promise<void> | undefined;
  /** Set once `opened` has resolved: later queries are sent at once, in call order. */
  private isOpen = false;

  constructor(
    private readonly lease: Lease,
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
    if (this.opening) void this.open(undefined).catch(() => undefined);
    return this.opened ?? Promise.resolve();
  }

  /** Called when the transaction that owns this client commits or rolls back. */
  end(): void {
    this.ended = true;
  }

  /** COMMIT; a connection lost once COMMIT may have reached the server leaves the outcome unknown. */
  async commit(): Promise<void> {
    try {
      await this.lease.send('commit');
    } catch (error) {
      throw connectionLost(error) && !neverSent(error) ? commitInDoubt(error, this.context) : mapDbError(error, this.context);
    }
  }

  async query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    this.assertOpen('query');
    const context = { provider: this.provider, operation: 'query' };
    const { text, values } = compile(query);
    if (this.opening) return rows<Row>((await this.open({ text, values }, context))!);
    // Until the opening has succeeded nothing else is sent: it would run outside the transaction.
    if (!this.isOpen) await this.begin();
    return rows<Row>(await this.run(text, values, context));
  }

  /** A nested transaction: a savepoint that rolls back alone when `fn` throws. */
  async transaction<R>(fn: (tx: DbQuerier) => Promise<R>): Promise<R> {
    this.assertOpen('transaction');
    if (!this.isOpen) await this.begin();
    const name = `sy_sp_${++this.savepoints}`;
    const context = { provider: this.provider, operation: 'transaction' };
    await this.run(`savepoint ${name}`, undefined, context);
    let result: R;
    try {
      result = await fn(this);
    } catch (error) {
      await this.run(`rollback to savepoint ${name}`, undefined, context);
      await this.run(`release savepoint ${name}`, undefined, context);
      throw error;
    }
    await this.run(`release savepoint ${name}`, undefined, context);
    return result;
  }

  /** Executes on the transaction's connection; a failure that leaves the connection in doubt condemns it. */
  private async run(text: string, values: unknown[] | undefined, context: Context): Promise<pg.QueryResult> {
    try {
      return await this.lease.send(text, values);
    } catch (error) {
      throw mapDbError(error, context);
    }
  }

  /**
   * Sends the opening statements, with `first` right behind them when given, and resolves with
   * `first`'s result. While a failure proves nothing reached the server (a pooled connection that
   * had died while idle), it starts over on a fresh connection: calls waiting for `opened` then run
   * on that one.
   */
  private open(first: { text: string; values: unknown[] } | undefined, context = this.context): Promise<pg.QueryResult | undefined> {
    const opening = this.opening ?? [];
    this.opening = undefined;
    let signal!: { resolve: () => void; reject: (error: SwitchyardError) => void };
    this.opened = new Promise<void>((resolve, reject) => {
      signal = { resolve, reject };
    });
    // Whoever sends next or commits awaits it; this only keeps a failure from being "unhandled".
    this.opened.catch(() => undefined);
    return (async () => {
      for (;;) {
        // Pipeline mode: all of these are written before any answer is awaited.
        const sent = Promise.all(opening.map((statement) => this.lease.send(statement.text, statement.values)));
        const result = first ? this.lease.send(first.text, first.values) : undefined;
        // Awaited below once the opening has run; when that fails, this fails too and the opening's error is the one reported.
        result?.catch(() => undefined);
        try {
          await sent;
        } catch (error) {
          let again = false;
          try {
            again = await this.lease.retry(error);
          } catch (unavailable) {
            signal.reject(unavailable as SwitchyardError);
            throw unavailable;
          }
          if (again) continue;
          const mapped = mapDbError(error, this.context);
          signal.reject(mapped);
          throw mapped;
        }
        this.isOpen = true;
        signal.resolve();
        try {
          return await result;
        } catch (error) {
          throw mapDbError(error, context);
        }
      }
    })();
  }

  private assertOpen(operation: string): void {
    if (this.ended) throw outsideTransaction({ provider: this.provider, operation });
  }
}

export function rows<Row>(result: pg.QueryResult): QueryResult<Row> {
  const list = result.rows as Row[];
  return { rows: list, rowCount: result.rowCount ?? list.length };
}
