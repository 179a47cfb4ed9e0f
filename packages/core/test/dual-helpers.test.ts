import { DedupWindow, InMemoryJournal } from '@switchyard/core';
import { isReadOnlyQuery, sql } from '@switchyard/core/adapter';
import { describe, expect, it, vi } from 'vitest';

describe('DedupWindow', () => {
  it('lets an id through once', () => {
    const window = new DedupWindow(10, 60_000);
    expect(window.firstSight('a')).toBe(true);
    expect(window.firstSight('a')).toBe(false);
    expect(window.firstSight('b')).toBe(true);
  });

  it('forgets the oldest ids beyond its count', () => {
    const window = new DedupWindow(2, 60_000);
    window.firstSight('a');
    window.firstSight('b');
    window.firstSight('c');
    expect(window.size).toBe(2);
    expect(window.firstSight('a')).toBe(true);
    expect(window.firstSight('c')).toBe(false);
  });

  it('forgets ids older than its age', () => {
    let now = 0;
    const window = new DedupWindow(100, 1_000, () => now);
    window.firstSight('a');
    now = 500;
    window.firstSight('b');
    now = 1_200;
    expect(window.firstSight('b')).toBe(false);
    expect(window.size).toBe(1);
    expect(window.firstSight('a')).toBe(true);
  });

  it('stays exact after its ring wraps around many times', () => {
    let now = 0;
    const window = new DedupWindow(3, 1_000, () => now);
    for (let i = 0; i < 50; i += 1) {
      now += 10;
      expect(window.firstSight(`m${i}`)).toBe(true);
      expect(window.firstSight(`m${i}`)).toBe(false);
      if (i >= 2) expect(window.firstSight(`m${i - 2}`)).toBe(false);
    }
    expect(window.size).toBe(3);
    expect(window.firstSight('m46')).toBe(true);
  });

  it('reads the clock once per synchronous run by default, and again after it', async () => {
    const clock = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    try {
      const windows = [new DedupWindow(10, 60_000), new DedupWindow(10, 60_000)];
      await Promise.resolve();
      clock.mockClear();
      for (const window of windows) expect(window.firstSight('a')).toBe(true);
      for (const window of windows) expect(window.firstSight('a')).toBe(false);
      expect(clock).toHaveBeenCalledTimes(1);
      // A minute and more later, in a new run: the id has aged out.
      await Promise.resolve();
      clock.mockReturnValue(62_000);
      expect(windows[0]!.firstSight('a')).toBe(true);
      expect(clock).toHaveBeenCalledTimes(2);
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses a window of no entries', () => {
    expect(() => new DedupWindow(0, 1_000)).toThrow(/whole number of entries/);
  });
});

describe('isReadOnlyQuery', () => {
  it('accepts plain reads', () => {
    expect(isReadOnlyQuery(sql`select * from posts where id = ${1}`)).toBe(true);
    expect(isReadOnlyQuery(sql`with recent as (select * from posts) select count(*) from recent`)).toBe(true);
    expect(isReadOnlyQuery(sql`select created_at, updated_at from posts`)).toBe(true);
  });

  it('refuses writes, locks and side effects, also hidden in a CTE', () => {
    expect(isReadOnlyQuery(sql`insert into posts (id) values (${1})`)).toBe(false);
    expect(isReadOnlyQuery(sql`with gone as (delete from posts returning *) select * from gone`)).toBe(false);
    expect(isReadOnlyQuery(sql`select * from posts for update`)).toBe(false);
    expect(isReadOnlyQuery(sql`select nextval('seq')`)).toBe(false);
    expect(isReadOnlyQuery(sql`select * into copy from posts`)).toBe(false);
  });
});

describe('InMemoryJournal', () => {
  it('keeps one entry per key, oldest first, and does not resolve a newer record', async () => {
    const journal = new InMemoryJournal();
    await journal.record({ port: 'storage', key: 'a', operation: 'put', reason: 'x', primary: 'p' });
    await journal.record({ port: 'storage', key: 'b', operation: 'put', reason: 'x', primary: 'p' });
    await journal.record({ port: 'db', key: 'c', operation: 'put', reason: 'x', primary: 'p' });
    const [first] = await journal.pending('storage', 10);
    await journal.record({ port: 'storage', key: 'a', operation: 'delete', reason: 'y', primary: 'p' });
    expect((await journal.pending('storage', 10)).map((e) => e.key)).toEqual(['b', 'a']);
    await journal.resolve(first!);
    expect((await journal.pending('storage', 10)).map((e) => e.key)).toEqual(['b', 'a']);
    const [b, a] = await journal.pending('storage', 10);
    await journal.failed(b!, 'still down');
    await journal.resolve(a!);
    expect(await journal.pending('storage', 10)).toMatchObject([{ key: 'b', attempts: 1, reason: 'still down' }]);
  });
});
