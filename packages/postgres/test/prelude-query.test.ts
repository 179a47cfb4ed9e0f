import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreludedQuery } from '../src/prelude-query.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

describe('PreludedQuery', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.connectionString });
    await client.connect();
    await client.query('create table prelude_items (id int primary key)');
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('runs the statements, then the query, and hands back only the query rows', async () => {
    const batch = new PreludedQuery(
      [{ text: 'begin' }, { text: "select set_config('sy.test', $1, true)", values: ['set'] }],
      "insert into prelude_items values ($1) returning id, current_setting('sy.test') as setting",
      [1],
    );
    client.query(batch);
    await batch.prelude;
    const result = await batch.result;
    expect(result.rows).toEqual([{ id: 1, setting: 'set' }]);
    await client.query('rollback');
    expect((await client.query('select * from prelude_items')).rows).toEqual([]);
  });

  it('skips the query when a statement before it fails, and reports that failure on both promises', async () => {
    // Stands in for a BEGIN that fails: whatever follows it must not run outside a transaction.
    const batch = new PreludedQuery([{ text: 'select 1 / 0' }], 'insert into prelude_items values ($1)', [2]);
    client.query(batch);
    await expect(batch.prelude).rejects.toThrow('division by zero');
    await expect(batch.result).rejects.toThrow('division by zero');
    expect((await client.query('select * from prelude_items')).rows).toEqual([]);
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('reports a failure of the query itself on the result only', async () => {
    const batch = new PreludedQuery([{ text: 'begin' }], 'select 1 / $1::int', [0]);
    client.query(batch);
    await batch.prelude;
    await expect(batch.result).rejects.toThrow('division by zero');
    await client.query('rollback');
  });
});
