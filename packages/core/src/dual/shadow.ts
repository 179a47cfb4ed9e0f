import { type PortName, SwitchyardError } from '../errors.js';
import { emit, type OnEvent } from '../events.js';
import { type CircuitOptions, ShadowCircuit, wasSkipped } from './circuit.js';

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

function timeoutError(context: DualContext, operation: string): SwitchyardError {
  return new SwitchyardError({
    code: 'UNAVAILABLE',
    port: context.port,
    provider: context.shadow,
    operation,
    message: `The ${context.shadow} shadow did not answer ${operation} within ${context.timeoutMs} ms.`,
  });
}

/** A pending shadow call, linked into the queue of its bound until it settles or expires. */
class Waiter {
  prev: Waiter | undefined = undefined;
  next: Waiter | undefined = undefined;
  queued = true;

  constructor(
    readonly deadline: number,
    readonly context: DualContext,
    readonly operation: string,
    readonly expire: (error: SwitchyardError) => void,
  ) {}
}

// setTimeout takes a signed 32-bit delay; a longer one would fire at once.
const LONGEST_DELAY_MS = 2 ** 31 - 1;

/**
 * The pending shadow calls that share one bound, oldest first. Calls with one bound expire in the
 * order they started, so a single timer at the oldest deadline serves them all: a call costs a
 * list node, not a timer. The timer stays armed between calls but unreferenced while nothing is
 * pending, so it never keeps the process alive.
 */
class Deadlines {
  private head: Waiter | undefined;
  private tail: Waiter | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly timeoutMs: number) {}

  add(context: DualContext, operation: string, expire: (error: SwitchyardError) => void): Waiter {
    const waiter = new Waiter(performance.now() + this.timeoutMs, context, operation, expire);
    const tail = this.tail;
    if (tail) {
      tail.next = waiter;
      waiter.prev = tail;
    } else {
      this.head = waiter;
      if (this.timer) this.timer.ref();
      else this.arm(this.timeoutMs);
    }
    this.tail = waiter;
    return waiter;
  }

  remove(waiter: Waiter): void {
    if (!waiter.queued) return;
    waiter.queued = false;
    const { prev, next } = waiter;
    if (prev) prev.next = next;
    else this.head = next;
    if (next) next.prev = prev;
    else this.tail = prev;
    waiter.prev = waiter.next = undefined;
    if (!this.head) this.timer?.unref();
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(this.fire, Math.min(delayMs, LONGEST_DELAY_MS));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = performance.now();
    for (let waiter = this.head; waiter && waiter.deadline <= now; waiter = this.head) {
      this.remove(waiter);
      waiter.expire(timeoutError(waiter.context, waiter.operation));
    }
    if (this.head) this.arm(this.head.deadline - now);
  };
}

const queues = new Map<number, Deadlines>();

function deadlinesFor(timeoutMs: number): Deadlines {
  let queue = queues.get(timeoutMs);
  if (!queue) {
    queue = new Deadlines(timeoutMs);
    queues.set(timeoutMs, queue);
  }
  return queue;
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
  extra: { key?: string | undefined; error?: unknown; evenIfSkipped?: boolean } = {},
): void {
  if (extra.error !== undefined && wasSkipped(extra.error) && !extra.evenIfSkipped) return;
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
