import { type PortName, SwitchyardError } from '../errors.js';
import { type DivergenceKind, emit, type OnEvent } from '../events.js';
import { type CircuitOptions, ShadowCircuit, wasSkipped } from './circuit.js';
import { deadlinesFor } from './deadlines.js';

/** What every composite shares: who its two sides are, where to report, and how long to wait for the shadow. */
export interface DualContext {
  port: PortName;
  primary: string;
  shadow: string;
  onEvent: OnEvent | undefined;
  /** Longest wait for any one shadow call; the primary path never waits longer than this for the shadow. */
  timeoutMs: number;
  /** Skips the shadow while it is down (see ShadowCircuit). */
  circuit: ShadowCircuit;
}

/** Default bound on each shadow call, in milliseconds. */
export const DEFAULT_SHADOW_TIMEOUT_MS = 2_000;

/** What each composite's options share about its shadow. */
export interface ShadowOptions {
  /** Longest wait for one shadow call. Default 2,000 ms. */
  shadowTimeoutMs?: number;
  /** The shadow's circuit breaker. */
  shadowCircuit?: CircuitOptions;
  onEvent?: OnEvent;
}

/** The context of a composite over `primary` and `shadow`. */
export function dualContext(
  port: PortName,
  sides: { primary: { provider: string }; shadow: { provider: string } },
  options: ShadowOptions,
): DualContext {
  const names = { port, primary: sides.primary.provider, shadow: sides.shadow.provider, onEvent: options.onEvent };
  return {
    ...names,
    timeoutMs: options.shadowTimeoutMs ?? DEFAULT_SHADOW_TIMEOUT_MS,
    circuit: new ShadowCircuit(names, options.shadowCircuit),
  };
}

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
  const deadlines = deadlinesFor(context.timeoutMs);
  return new Promise<T>((resolve, reject) => {
    const waiter = deadlines.add(context, operation, reject);
    // Handling the rejection here also keeps a late failure of an abandoned call from going unhandled.
    promise.then(
      (value) => {
        deadlines.remove(waiter);
        resolve(value);
      },
      (error: unknown) => {
        deadlines.remove(waiter);
        reject(error);
      },
    );
  });
}

/**
 * Calls the shadow through its circuit and within the bound: rejects at once with a retryable
 * UNAVAILABLE while the circuit is open, and feeds every outcome back to the circuit.
 */
export function shadowCall<T>(context: DualContext, operation: string, call: () => Promise<T>, boundMs = context.timeoutMs): Promise<T> {
  const ticket = context.circuit.admit();
  if (!ticket) return Promise.reject(context.circuit.skippedError(operation));
  let promise: Promise<T>;
  try {
    promise = call();
  } catch (error) {
    context.circuit.settled(ticket, error);
    return Promise.reject(error);
  }
  return bounded(boundMs === context.timeoutMs ? context : { ...context, timeoutMs: boundMs }, operation, promise).then(
    (value) => {
      context.circuit.settled(ticket);
      return value;
    },
    (error: unknown) => {
      context.circuit.settled(ticket, error);
      throw error;
    },
  );
}

/**
 * The bound for moving `bytes` through the shadow: the call bound plus a second per 256 KiB (a floor
 * on throughput), rounded up to a power of two seconds so few distinct timers are ever kept.
 */
export function transferBoundMs(context: DualContext, bytes: number): number {
  if (bytes <= 262_144) return context.timeoutMs;
  const ms = context.timeoutMs + Math.ceil(bytes / 262_144) * 1_000;
  return 2 ** Math.ceil(Math.log2(Math.max(ms, 1_000) / 1_000)) * 1_000;
}

/** Why a shadow call did not succeed in time. */
export interface ShadowFailure {
  error: unknown;
  /** True when it did not answer within the bound: it may still complete later. */
  timedOut: boolean;
}

/**
 * Starts a shadow call and resolves, never rejects, once it has settled or its bound has passed:
 * with `undefined` when it succeeded in time, else with why not. For calls started next to the
 * primary's, whose failure is awaited only after the primary answered.
 */
export function settleShadow(
  context: DualContext,
  operation: string,
  call: () => Promise<unknown>,
  boundMs = context.timeoutMs,
): Promise<ShadowFailure | undefined> {
  const ticket = context.circuit.admit();
  if (!ticket) return Promise.resolve({ error: context.circuit.skippedError(operation), timedOut: false });
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    context.circuit.settled(ticket, error);
    return Promise.resolve({ error, timedOut: false });
  }
  const deadlines = deadlinesFor(boundMs);
  return new Promise((resolve) => {
    const waiter = deadlines.add(boundMs === context.timeoutMs ? context : { ...context, timeoutMs: boundMs }, operation, (error) => {
      context.circuit.settled(ticket, error);
      resolve({ error, timedOut: true });
    });
    promise.then(
      () => {
        if (!waiter.queued) return;
        deadlines.remove(waiter);
        context.circuit.settled(ticket);
        resolve(undefined);
      },
      (error: unknown) => {
        if (!waiter.queued) return;
        deadlines.remove(waiter);
        context.circuit.settled(ticket, error);
        resolve({ error, timedOut: false });
      },
    );
  });
}

/**
 * Reports that the two sides disagree (or that the shadow failed) through `onEvent`. Calls the open
 * circuit skipped are not reported one by one (the circuit reported opening once), unless they left
 * something to repair (`evenIfSkipped`: the key is in the journal and the event says which).
 */
export function reportDivergence(
  context: DualContext,
  operation: string,
  divergence: string,
  extra: { kind: DivergenceKind; key?: string | undefined; error?: unknown; evenIfSkipped?: boolean },
): void {
  if (extra.error !== undefined && wasSkipped(extra.error) && !extra.evenIfSkipped) return;
  emit(context.onEvent, {
    type: 'divergence',
    port: context.port,
    operation,
    primary: context.primary,
    shadow: context.shadow,
    divergence,
    kind: extra.kind,
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
