import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryWatchdog } from '../src/query-watchdog.js';

describe('QueryWatchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('abandons a statement unanswered for between the timeout and 1.25 × it, and only that one', () => {
    const watchdog = new QueryWatchdog(1_000);
    const abandoned: string[] = [];
    watchdog.begin({ abandon: () => abandoned.push('slow') });
    vi.advanceTimersByTime(300);
    const answered = watchdog.begin({ abandon: () => abandoned.push('answered') });
    vi.advanceTimersByTime(200);
    watchdog.end(answered);
    vi.advanceTimersByTime(499);
    expect(abandoned).toEqual([]);
    vi.advanceTimersByTime(251);
    expect(abandoned).toEqual(['slow']);
  });

  it('never abandons a statement before the timeout, wherever in a period it was sent', () => {
    const watchdog = new QueryWatchdog(1_000);
    // Keeps the watchdog's timer running, so each statement below is sent at another point of a period.
    const keeper = watchdog.begin({ abandon: () => {} });
    for (const offset of [1, 100, 249]) {
      vi.advanceTimersByTime(offset);
      let gone = false;
      const statement = watchdog.begin({
        abandon: () => {
          gone = true;
        },
      });
      vi.advanceTimersByTime(999);
      expect(gone).toBe(false);
      vi.advanceTimersByTime(251);
      expect(gone).toBe(true);
      watchdog.end(statement);
    }
    watchdog.end(keeper);
  });

  it('stops its timer once nothing is in flight', () => {
    const watchdog = new QueryWatchdog(1_000);
    watchdog.end(watchdog.begin({ abandon: () => {} }));
    vi.advanceTimersByTime(250);
    expect(vi.getTimerCount()).toBe(0);
  });
});
