import type pg from 'pg';
import { connectionLost, mapDbError, neverSent, QueryTimeoutError } from './errors.js';
import type { QueryWatchdog } from './query-watchdog.js';

type Context = { provider: string; operation: string };

/** The pool a lease draws from, with what bounds its statements. */
export interface Pool {
  pg: pg.Pool;
  /** Connections in the pool: how many dead idle ones a call may have to skip. */
  max: number;
  watchdog: QueryWatchdog;
  queryTimeoutMs: number;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * One connection checked out of the pool for one call, given back exactly once: destroyed when it
 * broke or a query on it was abandoned (its state is then unknown), pooled otherwise.
 *
 * A pooled connection can die while idle (failover, server restart) before the pool notices; the
 * first statement written to it then fails without reaching the server. `retry` moves the call to
 * another connection in that case only, trying each pooled connection at most once, so the first
 * call after an outage does not fail for a connection that was already dead.
 */
export class Lease {
  private current: pg.PoolClient | undefined;
  private broken: Error | undefined;
  /** Set when the watchdog gave up on a statement: what every failure on this lease then reports. */
  private timedOut: QueryTimeoutError | undefined;
  private retries = 0;
  // A checked-out client emits 'error' when its connection dies; the failing query reports it,
  // and without a listener Node would treat the event as an uncaught exception.
  private readonly onError = (error: Error) => {
    this.broken = error;
  };

  private constructor(
    private readonly pool: Pool,
    private readonly context: Context,
  ) {}

  /** Checks a connection out; UNAVAILABLE (retryable) when none can be had within the connection timeout. */
  static open(pool: Pool, context: Context): Promise<Lease> {
    return new Lease(pool, context).checkout();
  }

  private get client(): pg.PoolClient {
    if (!this.current) throw new Error('this lease holds no connection');
    return this.current;
  }

  /**
   * Sends one statement, bounded by the pool's watchdog: unanswered after `queryTimeoutMs`, the
   * socket is destroyed (which fails it and anything queued behind it) and the lease condemned.
   * Rejects with the driver's error, or a QueryTimeoutError; the caller maps it.
   */
  send(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    const client = this.client;
    const statement = this.pool.watchdog.begin(this);
    // pg's callback form: its promise form adds two promises to each of the busiest calls.
    // (text, values) rather than a config object, which pg would clone.
    return new Promise((resolve, reject) => {
      const answered = (error: Error | null, result?: pg.QueryResult) => {
        this.pool.watchdog.end(statement);
        if (!error) return resolve(result as pg.QueryResult);
        const reported = this.timedOut ?? error;
        this.failed(reported);
        reject(reported);
      };
      try {
        if (values === undefined) client.query(text, answered);
        else client.query(text, values, answered);
      } catch (error) {
        // Never left in the watchdog: it would later abandon a connection that is fine.
        answered(error as Error);
      }
    });
  }

  /** The watchdog gave up on a statement on this connection: nothing on it can be trusted now. */
  abandon(): void {
    this.timedOut ??= new QueryTimeoutError(this.pool.queryTimeoutMs);
    this.condemn(this.timedOut);
    this.current?.connection.stream.destroy();
  }

  /** Whether the connection may still carry statements (a ROLLBACK, say). */
  get usable(): boolean {
    return this.current !== undefined && this.broken === undefined;
  }

  /** Records a failed statement: one that leaves the connection in an unknown state condemns it. */
  failed(error: unknown): void {
    if (connectionLost(error)) this.condemn(error);
  }

  /** Makes sure the connection is destroyed, not pooled, when it is given back. */
  condemn(error: unknown): void {
    this.broken ??= asError(error);
  }

  /**
   * Replaces the connection when `error` proves the statement never reached the server; resolves
   * true when the caller should send it again. Rejects with the mapped error when no other
   * connection can be had.
   */
  async retry(error: unknown): Promise<boolean> {
    if (!neverSent(error) || this.retries >= this.pool.max) return false;
    this.retries++;
    this.failed(error);
    this.release();
    await this.checkout();
    return true;
  }

  /** Gives the connection back (destroying it when broken). Idempotent. */
  release(): void {
    const client = this.current;
    if (!client) return;
    this.current = undefined;
    client.off('error', this.onError);
    client.release(this.broken);
    this.broken = undefined;
  }

  /** pg-pool's callback form: its promise form adds a promise to every call. */
  private checkout(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.pool.pg.connect((error, client) => {
        if (error || !client) return reject(mapDbError(error, this.context));
        client.on('error', this.onError);
        this.current = client;
        resolve(this);
      });
    });
  }
}
