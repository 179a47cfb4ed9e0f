import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReplyWatchdog } from '../src/redis/reply-watchdog.js';

describe('ReplyWatchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails a reply that has not come within the timeout, and only that one, and says so once', async () => {
    let timeouts = 0;
    const watchdog = new ReplyWatchdog(1_000, () => timeouts++);
    const stuck = watchdog.watch(new Promise<never>(() => {}));
    const outcome = stuck.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    let answer: (value: number) => void = () => {};
    const answered = watchdog.watch(new Promise<number>((resolve) => (answer = resolve)));
    await vi.advanceTimersByTimeAsync(900);
    answer(7);
    expect(await answered).toBe(7);
    expect(timeouts).toBe(0);
    await vi.advanceTimersByTimeAsync(600);
    expect(timeouts).toBe(1);
    // "Command timed out" is what toSwitchyardError maps to a retryable UNAVAILABLE.
    expect(await outcome).toBe('Command timed out');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(timeouts).toBe(1);
  });

  it('never fails a reply before the timeout has passed', async () => {
    const watchdog = new ReplyWatchdog(1_000, () => {});
    let failed = false;
    watchdog.watch(new Promise<never>(() => {})).catch(() => {
      failed = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(failed).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(failed).toBe(true);
  });

  it('passes replies and errors through unchanged and stops its timer once nothing is waiting', async () => {
    const watchdog = new ReplyWatchdog(1_000, () => {});
    const error = new Error('NOPERM');
    expect(await watchdog.watch(Promise.resolve('ok'))).toBe('ok');
    await expect(watchdog.watch(Promise.reject(error))).rejects.toBe(error);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(vi.getTimerCount()).toBe(0);
  });
});
