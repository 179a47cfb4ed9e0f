import { type DbPort, SwitchyardError, sql } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { retryOnceAfterRotation } from '../src/rds/rotation.js';

function failingOnce(sqlstate: string): { db: DbPort; calls: () => number } {
  let calls = 0;
  const fail = async <R>(value: R): Promise<R> => {
    calls++;
    if (calls === 1) {
      throw new SwitchyardError({ code: 'CONFIG', port: 'db', message: 'password authentication failed', details: { sqlstate } });
    }
    return value;
  };
  const db = {
    provider: 'aws',
    capabilities: { rowLevelSecurity: true },
    query: () => fail({ rows: [{ ok: 1 }], rowCount: 1 }),
    one: () => fail({ ok: 1 }),
    maybeOne: () => fail(null),
    transaction: (fn: (tx: never) => Promise<unknown>) => fail(undefined).then(() => fn(undefined as never)),
    asUser: () => fail('as user'),
    close: async () => {},
  } as unknown as DbPort;
  return { db, calls: () => calls };
}

describe('retryOnceAfterRotation', () => {
  it('refetches the secret and retries once when the password is refused', async () => {
    const { db, calls } = failingOnce('28P01');
    let invalidated = 0;
    const wrapped = retryOnceAfterRotation(db, () => invalidated++);
    expect((await wrapped.query(sql`select 1`)).rows).toEqual([{ ok: 1 }]);
    expect(invalidated).toBe(1);
    expect(calls()).toBe(2);
  });

  it('does not retry other failures', async () => {
    const { db } = failingOnce('23505');
    let invalidated = 0;
    const wrapped = retryOnceAfterRotation(db, () => invalidated++);
    await expect(wrapped.one(sql`select 1`)).rejects.toMatchObject({ code: 'CONFIG' });
    expect(invalidated).toBe(0);
  });
});
