import type { Connection, QueryResult, Submittable } from 'pg';
import pg from 'pg';

/** A statement this package writes itself, with bound (never inlined) string parameters. */
export interface Statement {
  text: string;
  values?: string[];
}

/** The part of pg's Query that the client calls back with the server's replies. */
interface ReplyHandler {
  submit(connection: Connection): Error | null | undefined;
  handleRowDescription(msg: unknown): void;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: Connection): void;
  handleEmptyQuery(connection: Connection): void;
  handleError(error: Error, connection: Connection): void;
  handleReadyForQuery(connection: Connection): void;
  handlePortalSuspended(connection: Connection): void;
  handleCopyInResponse(connection: Connection): void;
  handleCopyData(msg: unknown, connection: Connection): void;
}

/**
 * A parameterised query written to the wire together with the statements that must run before it
 * (BEGIN, set_config), all before one Sync: the server answers them in one round trip and, when
 * one fails, skips everything up to the Sync, so the query never runs unless all of them
 * succeeded. pg's own Query sends and parses the query itself; this only adds the statements in
 * front and keeps their replies away from it.
 */
export class PreludedQuery implements Submittable {
  /** Settles with the query's result. */
  readonly result: Promise<QueryResult>;
  /** Resolves once every prelude statement has completed; rejects when one of them failed. */
  readonly prelude: Promise<void>;
  private readonly query: ReplyHandler;
  private remaining: number;
  private settleResult!: { resolve: (result: QueryResult) => void; reject: (error: Error) => void };
  private settlePrelude!: { resolve: () => void; reject: (error: Error) => void };
  /** Errors raised on this side while writing (bad parameter values) are the query's, not the prelude's. */
  private writing = false;

  constructor(
    private readonly statements: readonly Statement[],
    text: string,
    values: unknown[],
  ) {
    this.remaining = statements.length;
    this.result = new Promise((resolve, reject) => {
      this.settleResult = { resolve, reject };
    });
    this.prelude = new Promise((resolve, reject) => {
      this.settlePrelude = { resolve, reject };
    });
    // Callers await `result`; a failed prelude is also reported there, so this copy is only a signal.
    this.prelude.catch(() => undefined);
    // Extended mode even without values (pg's `queryMode`, missing from its typings): simple-protocol
    // text would go out without the Sync the prelude relies on.
    const config = { text, values, queryMode: 'extended' } as pg.QueryConfig;
    this.query = new pg.Query(config, (error: Error | undefined, result: unknown) => {
      if (error) this.settleResult.reject(error);
      else this.settleResult.resolve(result as QueryResult);
    }) as unknown as ReplyHandler;
    if (this.remaining === 0) this.settlePrelude.resolve();
  }

  submit(connection: Connection): Error | null | undefined {
    const stream = connection.stream as Connection['stream'] & { cork?: () => void; uncork?: () => void };
    stream.cork?.();
    this.writing = true;
    try {
      // No Describe: these statements' rows (set_config's) are not wanted; the query's own come described.
      for (const statement of this.statements) {
        connection.parse({ text: statement.text, name: '', types: [] }, true);
        connection.bind({ values: statement.values ?? [] }, true);
        connection.execute({ portal: '' }, true);
      }
      return this.query.submit(connection);
    } finally {
      this.writing = false;
      stream.uncork?.();
    }
  }

  handleRowDescription(msg: unknown): void {
    if (this.remaining === 0) this.query.handleRowDescription(msg);
  }

  handleDataRow(msg: unknown): void {
    if (this.remaining === 0) this.query.handleDataRow(msg);
  }

  handleCommandComplete(msg: unknown, connection: Connection): void {
    if (this.remaining === 0) {
      this.query.handleCommandComplete(msg, connection);
      return;
    }
    this.remaining -= 1;
    if (this.remaining === 0) this.settlePrelude.resolve();
  }

  handleEmptyQuery(connection: Connection): void {
    this.query.handleEmptyQuery(connection);
  }

  handleError(error: Error, connection: Connection): void {
    if (this.remaining > 0 && !this.writing) this.settlePrelude.reject(error);
    this.query.handleError(error, connection);
  }

  handleReadyForQuery(connection: Connection): void {
    this.query.handleReadyForQuery(connection);
  }

  handlePortalSuspended(connection: Connection): void {
    this.query.handlePortalSuspended(connection);
  }

  handleCopyInResponse(connection: Connection): void {
    this.query.handleCopyInResponse(connection);
  }

  handleCopyData(msg: unknown, connection: Connection): void {
    this.query.handleCopyData(msg, connection);
  }
}
