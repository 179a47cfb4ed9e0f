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
export function settleShadow(context: DualContext, operation: string, call: () => Promise<unknown>): Promise<ShadowFailure | undefined> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    return Promise.resolve({ error, timedOut: false });
  }
  const deadlines = deadlinesFor(context.timeoutMs);
  return new Promise((resolve) => {
    const waiter = deadlines.add(context, operation, (error) => resolve({ error, timedOut: true }));
    promise.then(
      () => {
        deadlines.remove(waiter);
        resolve(undefined);
      },
      (error: unknown) => {
        deadlines.remove(waiter);
        resolve({ error, timedOut: false });
      },
    );
  });
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
