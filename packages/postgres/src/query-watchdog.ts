/** What a statement runs on: told when the statement is never answered. */
export interface Abandonable {
  abandon(): void;
}

/** A statement in flight: when it was sent (in watchdog ticks) and who sent it. */
export interface InFlight {
  tick: number;
  owner: Abandonable;
}

/**
 * Bounds how long a statement waits for the server's answer, with one interval timer per pool.
 * pg's own `query_timeout` arms and clears a timer for every query, which cost about a third of
 * the throughput of bench row 4a. A statement still unanswered after `timeoutMs` (checked every
 * quarter period, so after between `timeoutMs` and 1.25 × `timeoutMs`) is abandoned.
 */
export class QueryWatchdog {
  private readonly inFlight = new Set<InFlight>();
  private tick = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly timeoutMs: number) {}

  /** Starts watching one statement; pass the result to `end` once it is answered or failed. */
  begin(owner: Abandonable): InFlight {
    const statement = { tick: this.tick, owner };
    this.inFlight.add(statement);
    this.timer ??= this.start();
    return statement;
  }

  end(statement: InFlight): void {
    this.inFlight.delete(statement);
  }

  private start(): ReturnType<typeof setInterval> {
    const timer = setInterval(() => this.check(), Math.max(1, Math.floor(this.timeoutMs / 4)));
    // The watchdog alone must not keep a process alive; a pending statement's socket does.
    timer.unref();
    return timer;
  }

  private check(): void {
    this.tick++;
    if (this.inFlight.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    // Sent before the tick that is five quarter periods back: it has waited at least `timeoutMs`.
    for (const statement of this.inFlight) {
      if (statement.tick > this.tick - 5) continue;
      this.inFlight.delete(statement);
      statement.owner.abandon();
    }
  }
}
