import type pg from 'pg';
import { connectionLost, mapDbError, neverSent } from './errors.js';

type Context = { provider: string; operation: string };

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
  private retries = 0;
  // A checked-out client emits 'error' when its connection dies; the failing query reports it,
  // and without a listener Node would treat the event as an uncaught exception.
  private readonly onError = (error: Error) => {
    this.broken = error;
  };

  private constructor(
    private readonly pool: pg.Pool,
    private readonly maxRetries: number,
    private readonly context: Context,
  ) {}

  /** Checks a connection out; UNAVAILABLE (retryable) when none can be had within the connection timeout. */
  static async open(pool: pg.Pool, maxRetries: number, context: Context): Promise<Lease> {
    const lease = new Lease(pool, maxRetries, context);
    await lease.checkout();
    return lease;
  }

  get client(): pg.PoolClient {
    if (!this.current) throw new Error('this lease holds no connection');
    return this.current;
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
    if (!neverSent(error) || this.retries >= this.maxRetries) return false;
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

  private async checkout(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw mapDbError(error, this.context);
    }
    client.on('error', this.onError);
    this.current = client;
  }
}
