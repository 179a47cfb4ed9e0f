import { type PortName, SwitchyardError } from '../errors.js';
import { emit, type OnEvent } from '../events.js';

/** What every composite shares: who its two sides are, where to report, and how long to wait for the shadow. */
export interface DualContext {
  port: PortName;
  primary: string;
  shadow: string;
  onEvent: OnEvent | undefined;
  /** Longest wait for any one shadow call; the primary path never waits longer than this for the shadow. */
  timeoutMs: number;
}

/** Default bound on each shadow call, in milliseconds. */
export const DEFAULT_SHADOW_TIMEOUT_MS = 2_000;

function asSwitchyardError(context: DualContext, operation: string, error: unknown): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  return new SwitchyardError({
    code: 'UNAVAILABLE',
    port: context.port,
    provider: context.shadow,
    operation,
    cause: error,
    message: `The ${context.shadow} shadow failed during ${operation}.`,
  });
}

/**
 * Resolves with `promise`, or rejects with UNAVAILABLE after `timeoutMs`. The shadow call itself
 * keeps running (there is no portable way to cancel it); repair reconciles whatever it did.
 */
export function bounded<T>(context: DualContext, operation: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new SwitchyardError({
          code: 'UNAVAILABLE',
          port: context.port,
          provider: context.shadow,
          operation,
          message: `The ${context.shadow} shadow did not answer ${operation} within ${context.timeoutMs} ms.`,
        }),
      );
    }, context.timeoutMs);
  });
  // A late rejection of the abandoned call must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reports that the two sides disagree (or that the shadow failed) through `onEvent`. */
export function reportDivergence(
  context: DualContext,
  operation: string,
  divergence: string,
  extra: { key?: string | undefined; error?: unknown } = {},
): void {
  emit(context.onEvent, {
    type: 'divergence',
    port: context.port,
    operation,
    primary: context.primary,
    shadow: context.shadow,
    divergence,
    ...(extra.key === undefined ? {} : { key: extra.key }),
    ...(extra.error === undefined ? {} : { error: asSwitchyardError(context, operation, extra.error) }),
  });
}

/** Work started off the request path (comparisons, copy-forward), so `close` and tests can wait for it. */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `task` without the caller waiting; its failure is the task's own business. */
  start(task: () => Promise<unknown>): void {
    const promise = task()
      .catch(() => undefined)
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once everything started so far (and anything it started) has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** Closes both sides even when one fails, then rethrows the first failure. */
export async function closeBoth(closers: readonly (() => Promise<void>)[]): Promise<void> {
  const results = await Promise.allSettled(closers.map((close) => close()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
