import type { SqlFragment } from './sql.js';

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows returned, or affected by an INSERT/UPDATE/DELETE. */
  rowCount: number;
}

/** What can run queries: the pool itself, or the connection inside a transaction. */
export interface DbClient {
  /** Runs one statement built with `sql`. Throws `CONFLICT` on a unique or exclusion violation, `INVALID_INPUT` on other constraint or syntax errors. */
  query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>>;
  /** The single row; `NOT_FOUND` when there is none, `INVALID_INPUT` when there are several. */
  one<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row>;
  /** The single row or null; `INVALID_INPUT` when there are several. */
  maybeOne<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row | null>;
  /**
   * Runs `fn` in a transaction: commits when it resolves, rolls back and rethrows when it throws.
   * Called on a transaction's client it opens a savepoint that rolls back alone.
   */
  transaction<R>(fn: (tx: DbClient) => Promise<R>): Promise<R>;
}

/** The user a query runs as, for row-level security. */
export interface DbUser {
  /** Becomes the `sub` claim that `auth.uid()` returns. */
  id: string;
  /** The database role (`SET LOCAL ROLE`); defaults to `authenticated`. */
  role?: string | undefined;
  email?: string | undefined;
  /** Further JWT-like claims visible through `auth.jwt()`. */
  claims?: Record<string, unknown> | undefined;
}

export interface DbCapabilities {
  /** `asUser` applies row-level security policies written with `auth.uid()`. */
  rowLevelSecurity: boolean;
}

/** A PostgreSQL database. Values are always bound parameters; there is no API that splices SQL text. */
export interface DbPort extends DbClient {
  readonly provider: string;
  readonly capabilities: DbCapabilities;
  /**
   * Runs `fn` in a transaction as `user`, with the role and `request.jwt.claims` set exactly as
   * Supabase's PostgREST sets them. The settings are transaction-local, so they never reach the
   * next user of the pooled connection.
   */
  asUser<R>(user: DbUser, fn: (tx: DbClient) => Promise<R>): Promise<R>;
  /** Ends every pooled connection. */
  close(): Promise<void>;
}
