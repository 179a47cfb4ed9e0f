import { SwitchyardError } from '../errors.js';
import type { DualContext } from './shadow.js';

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
export class Waiter {
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
export class Deadlines {
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

export function deadlinesFor(timeoutMs: number): Deadlines {
  let queue = queues.get(timeoutMs);
  if (!queue) {
    queue = new Deadlines(timeoutMs);
    queues.set(timeoutMs, queue);
  }
  return queue;
}
