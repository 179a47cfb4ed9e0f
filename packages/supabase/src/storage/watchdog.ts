/**
 * Aborts a request that makes no progress for `ms` while the adapter waits on it: each chunk sent or
 * received restarts the clock, so a large upload or download on a slow link is not cut, while a
 * silent, refused or stalled connection gives up within the bound. The clock does not run while
 * the caller is not reading a response body (`pause`), so a slow consumer is not mistaken for a
 * stalled server.
 */
export class Watchdog {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the bound passed without progress (the request was aborted for it). */
  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Progress: the clock starts again. */
  touch(): void {
    if (this.done) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error(`no progress for ${this.ms} ms`)), this.ms);
  }

  /** Nobody waits on the server right now (between reads of a response body). */
  pause(): void {
    clearTimeout(this.timer);
  }

  /** The transfer ended (or failed): nothing more to watch. */
  stop(): void {
    this.done = true;
    clearTimeout(this.timer);
  }
}
