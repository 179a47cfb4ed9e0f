import { type DbPort, sql } from '@switchyard/core';
import { createPostgresDb } from '@switchyard/postgres';
import { computeWeekMatches } from 'community-app/shared';
import { createAppDatabase, type TestPostgres } from 'community-app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembers } from './members.js';

/** A DbPort that notes how many rows each statement brought into the process. */
function recording(db: DbPort): { db: DbPort; rowsPerQuery: number[] } {
  const rowsPerQuery: number[] = [];
  const note = async <T extends { rowCount?: number } | object | null>(result: Promise<T>, rows: (value: T) => number) => {
    const value = await result;
    rowsPerQuery.push(rows(value));
    return value;
  };
  const wrapped: DbPort = Object.create(db, {
    query: { value: (q: Parameters<DbPort['query']>[0]) => note(db.query(q), (r) => r.rows.length) },
    one: { value: (q: Parameters<DbPort['one']>[0]) => note(db.one(q), () => 1) },
    maybeOne: { value: (q: Parameters<DbPort['maybeOne']>[0]) => note(db.maybeOne(q), (r) => (r ? 1 : 0)) },
  });
  return { db: wrapped, rowsPerQuery };
}

describe('the weekly matching over many members (PostgreSQL)', () => {
  let database: TestPostgres;
  let db: DbPort;

  beforeAll(async () => {
    database = await createAppDatabase();
    db = await createPostgresDb({ connectionString: database.connectionString });
    await addMembers(db, 600);
  }, 180_000);

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('pages through members in the database: no statement brings more than one row into the process', async () => {
    const { db: watched, rowsPerQuery } = recording(db);
    const run = await computeWeekMatches(watched, { week: '2021-03-01', pageSize: 50 });
    expect(run.members).toBe(600);
    // One summary row per page of 50 (and one more for the empty page after an exact multiple).
    expect(rowsPerQuery.length).toBeGreaterThanOrEqual(600 / 50);
    expect(Math.max(...rowsPerQuery)).toBeLessThanOrEqual(1);
  });

  it('finds the same pairs whatever the page size', async () => {
    const small = await computeWeekMatches(db, { week: '2021-03-01', pageSize: 50 });
    const large = await computeWeekMatches(db, { week: '2021-03-08', pageSize: 1000 });
    expect(small.pairs).toBe(large.pairs);
    const differ = await db.one<{ n: number }>(sql`
      select count(*)::int as n from (
        (select user_a, user_b from matches where week = '2021-03-01' except select user_a, user_b from matches where week = '2021-03-08')
        union all
        (select user_a, user_b from matches where week = '2021-03-08' except select user_a, user_b from matches where week = '2021-03-01')
      ) d`);
    expect(differ.n).toBe(0);
  });
});
