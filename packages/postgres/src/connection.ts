import { compile, type DbClient, mapPostgresError, type QueryResult, type SqlFragment, SwitchyardError, singleRow } from '@switchyard/core';
import type { PoolClient } from 'pg';

/** Runs compiled fragments on one checked-out connection: the client a transaction hands to `fn`. */
export class TransactionClient implements DbClient {
  private ended = false;
  private savepoints = 0;

  constructor(
    private readonly client: PoolClient,
    private readonly provider: string,
  ) {}

  /** Called when the transaction that owns this client commits or rolls back. */
  end(): void {
    this.ended = true;
  }

  async query<Row = Record<string, unknown>>(query: SqlFragment): Promise<QueryResult<Row>> {
    this.assertOpen('query');
    return runQuery<Row>(this.client, query, { provider: this.provider, operation: 'query' });
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
export async function runQuery<Row>(
  client: Pick<PoolClient, 'query'>,
  query: SqlFragment,
  context: { provider: string; operation: string },
): Promise<QueryResult<Row>> {
  const { text, values } = compile(query);
  try {
    const result = await client.query({ text, values });
    const rows = result.rows as Row[];
    return { rows, rowCount: result.rowCount ?? rows.length };
  } catch (error) {
    throw mapPostgresError(error, context);
  }
}

/** Executes fixed SQL text this package writes itself (BEGIN, SAVEPOINT …). */
export async function runText(
  client: Pick<PoolClient, 'query'>,
  text: string,
  context: { provider: string; operation: string },
  values?: unknown[],
): Promise<void> {
  try {
    await client.query(values ? { text, values } : text);
  } catch (error) {
    throw mapPostgresError(error, context);
  }
}
