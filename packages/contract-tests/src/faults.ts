import { SwitchyardError } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

/** The faults a harness can put between an adapter and its provider (see `FaultHarness`). */
export type FaultMode = 'pass' | 'refuse' | 'reset' | 'delay' | 'blackhole' | 'cut';

/**
 * Puts network faults between the adapter under test and its provider, typically a TCP proxy the
 * fixture routes the adapter through (`@switchyard/test-peers` has one). Adapters without a
 * network peer (embedded ones) have none, and their fault cases are reported as not applicable.
 */
export interface FaultHarness {
  /** Switches the fault; `pass` lifts it. `refuse` and `reset` also drop open connections. */
  set(mode: FaultMode, settings?: { delayMs?: number; afterBytes?: number }): Promise<void>;
  /** Resets every open connection at once, as a failover or a terminated backend would. */
  dropConnections(): void;
  /**
   * The longest the adapter, as this fixture configured it, waits for its provider in one call.
   * A call under a fault must settle within twice this plus a second, retries included.
   */
  timeoutMs: number;
}

/** One call the fault cases make, and an optional check that it really reached the provider once lifted. */
export interface FaultCall {
  run(): Promise<unknown>;
  /** The byte count after which `cut` breaks the response of this call; default 64. */
  cutAfterBytes?: number;
}

const FAULTS: readonly { mode: FaultMode; label: string }[] = [
  { mode: 'refuse', label: 'a refused connection' },
  { mode: 'reset', label: 'a connection reset' },
  { mode: 'blackhole', label: 'a provider that never answers' },
  { mode: 'delay', label: 'a provider slower than the timeout' },
  { mode: 'cut', label: 'a response cut off midway' },
];

/** Resolves with what `promise` settled to, or rejects when it is still pending after `ms`. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<{ value?: unknown; error?: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the call was still pending after ${ms} ms: it must give up within its timeout`)), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * For each fault: every call fails with a retryable `UNAVAILABLE` SwitchyardError (never a raw
 * socket error, never a hang past the timeout), and once the fault is lifted the very next call
 * succeeds without any help from the caller.
 */
export function faultCases(faults: () => FaultHarness | undefined, calls: () => Promise<Record<string, FaultCall>>): void {
  describe('provider faults', () => {
    for (const { mode, label } of FAULTS) {
      it(`turns ${label} into a retryable UNAVAILABLE, then recovers by itself`, async (context) => {
        const harness = faults();
        if (!harness) {
          context.skip('not applicable: the adapter has no network peer to fault');
          return;
        }
        const bound = 2 * harness.timeoutMs + 1_000;
        const prepared = await calls();
        try {
          for (const [name, call] of Object.entries(prepared)) {
            await harness.set(mode, { delayMs: 3 * harness.timeoutMs, afterBytes: call.cutAfterBytes ?? 64 });
            const outcome = await settleWithin(call.run(), bound);
            // A cut that lands after the whole answer has passed is no fault for this call.
            if (mode === 'cut' && !('error' in outcome)) continue;
            expect('error' in outcome, `${name} succeeded under ${label}`).toBe(true);
            const error = outcome.error;
            expect(SwitchyardError.isInstance(error), `${name} threw a raw error under ${label}: ${String(error)}`).toBe(true);
            expect((error as SwitchyardError).code, `${name}: ${(error as Error).message}`).toBe('UNAVAILABLE');
            expect((error as SwitchyardError).retryable, `${name}: ${(error as Error).message}`).toBe(true);
            await harness.set('pass');
            const recovered = await settleWithin(call.run(), bound);
            expect(recovered.error, `${name} did not recover once ${label} was lifted`).toBeUndefined();
          }
        } finally {
          await harness.set('pass');
        }
      });
    }
  });
}
