/** Samples the process's resident set size every `intervalMs` and keeps the peak. */
export class RssSampler {
  private peak = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  readonly baseline: number;

  constructor(intervalMs = 10) {
    globalThis.gc?.();
    this.baseline = process.memoryUsage.rss();
    this.peak = this.baseline;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
    }, intervalMs);
  }

  /** Stops sampling; returns the peak and its growth over the baseline, in MiB. */
  stop(): { peakMiB: number; growthMiB: number } {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return { peakMiB: this.peak / 2 ** 20, growthMiB: (this.peak - this.baseline) / 2 ** 20 };
  }
}
