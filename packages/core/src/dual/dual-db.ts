import type { DbCapabilities, DbClient, DbPort, DbUser, QueryResult } from '../db/port.js';
import type { SqlFragment } from '../db/sql.js';
import type { ReadMode } from '../providers/config.js';
import { type DualScope, dualCall } from './dual-call.js';
import { DualSides } from './dual-sides.js';
import { isOrdered, isReadOnlyQuery, rowsDifference } from './read-only-query.js';
import { BackgroundWork, closeBoth, reportDivergence, type ShadowOptions, shadowCall } from './shadow.js';

export interface DualDbOptions extends ShadowOptions {
  primary: DbPort;
  shadow: DbPort;
  /** `compare` mirrors a sample of read-only queries to the shadow; anything else reads the primary only. */
  reads?: ReadMode;
  /** Share of read-only queries mirrored in `compare` mode, 0–1. Default 0.1. */
  sampleRate?: number;
  /** Most mirrored queries in flight at once; further ones are not mirrored. Default 4. */
  maxInFlight?: number;
  /** Replaces `Math.random` for sampling (tests). */
  random?: () => number;
}

/**
 * A DbPort for a migration between two databases. Every statement runs at the primary only:
 * two databases cannot commit one transaction atomically, so writing to both would let them
 * drift on every partial failure (and doubled sequences, triggers and `now()` would differ anyway).
 * Keep the shadow in sync with PostgreSQL logical replication (a publication on the primary, a
 * subscription on the shadow), and use `compare` to check it: a sample of read-only queries runs
 * again at the shadow, off the request path, and differing results are reported through `onEvent`.
 */
export class DualDb extends DualSides<DbPort> implements DbPort {
  readonly capabilities: DbCapabilities;
  private readonly compare: boolean;
  private readonly sampleRate: number;
  private readonly maxInFlight: number;
  private readonly random: () => number;
  private readonly background = new BackgroundWork();

  constructor(options: DualDbOptions) {
    super('db', options);
    const { primary, shadow } = options;
    this.compare = options.reads === 'compare';
    this.sampleRate = options.sampleRate ?? 0.1;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.random = options.random ?? Math.random;
    this.capabilities = { rowLevelSecurity: primary.capabilities.rowLevelSecurity && shadow.capabilities.rowLevelSecurity };
  }

  private mirror(scope: DualScope, operation: string, query: SqlFragment, rows: readonly unknown[]): void {
    if (!this.compare || this.background.size >= this.maxInFlight || this.random() >= this.sampleRate) return;
    if (!isReadOnlyQuery(query)) return;
    this.background.start(async () => {
      let shadowRows: unknown[];
      try {
        shadowRows = (
          await shadowCall(
            this.context,
            operation,
            scope.shadow(() => this.shadow.query(query)),
          )
        ).rows;
      } catch (error) {
        reportDivergence(this.context, operation, 'the mirrored query failed at the shadow', { kind: 'shadow-failure', error });
        return;
      }
      const difference = rowsDifference(rows, shadowRows, isOrdered(query));
      if (difference)
        reportDivergence(this.context, operation, `mirrored query returned different rows: ${difference}`, { kind: 'mismatch' });
    });
  }

  query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    return dualCall(this.context, this.provider, 'query', async (scope) => {
      const result = await scope.primary(() => this.primary.query<Row>(query));
      this.mirror(scope, 'query', query, result.rows);
      return result;
    });
  }

  one<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row> {
    return dualCall(this.context, this.provider, 'one', async (scope) => {
      const row = await scope.primary(() => this.primary.one<Row>(query));
      this.mirror(scope, 'one', query, [row]);
      return row;
    });
  }

  maybeOne<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row | null> {
    return dualCall(this.context, this.provider, 'maybeOne', async (scope) => {
      const row = await scope.primary(() => this.primary.maybeOne<Row>(query));
      this.mirror(scope, 'maybeOne', query, row === null ? [] : [row]);
      return row;
    });
  }

  /** Runs at the primary only; statements inside a transaction are never mirrored (they may see uncommitted rows). */
  transaction<R>(fn: (tx: DbClient) => Promise<R>): Promise<R> {
    return dualCall(this.context, this.provider, 'transaction', (scope) => scope.primary(() => this.primary.transaction(fn)));
  }

  /** Runs at the primary only, like `transaction`. */
  asUser<R>(user: DbUser, fn: (tx: DbClient) => Promise<R>): Promise<R> {
    return dualCall(this.context, this.provider, 'asUser', (scope) => scope.primary(() => this.primary.asUser(user, fn)));
  }

  /** Resolves once every mirrored query started so far has been compared. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  async close(): Promise<void> {
    await this.background.settled();
    await closeBoth([() => this.primary.close(), () => this.shadow.close()]);
  }
}
