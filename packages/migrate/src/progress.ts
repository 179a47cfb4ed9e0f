/** Where progress goes: a terminal gets a redrawn bar, anything else a plain line now and then. */
export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean | undefined;
}

export interface ProgressOptions {
  /** What is being done, e.g. `copy objects`. */
  label: string;
  /** Items expected in all, when known (from an earlier verify): gives the bar and the ETA. */
  total?: number | undefined;
  sink?: ProgressSink | undefined;
  /** Milliseconds between plain lines (not a terminal). Default 5,000. */
  lineEveryMs?: number | undefined;
  now?: () => number;
}

const BAR = 24;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h > 0 ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Counts items and shows rate and ETA: on a TTY a bar redrawn in place (at most 10 times a
 * second), otherwise one plain line every few seconds, so CI logs and files stay readable.
 */
export class Progress {
  private done = 0;
  private readonly started: number;
  private lastDraw = 0;
  private readonly sink: ProgressSink | undefined;
  private readonly now: () => number;
  private detail = '';

  constructor(private readonly options: ProgressOptions) {
    this.sink = options.sink;
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** Counts `n` more items; `detail` is a short summary of the counts (copied, skipped, …). */
  tick(n: number, detail?: string): void {
    this.done += n;
    if (detail !== undefined) this.detail = detail;
    const now = this.now();
    const every = this.sink?.isTTY ? 100 : (this.options.lineEveryMs ?? 5_000);
    if (now - this.lastDraw >= every) this.draw(now);
  }

  /** The current line, e.g. `copy objects [#####-----] 500/1000 120/s ETA 0:04 (copied 480, skipped 20)`. */
  line(now = this.now()): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = this.done / seconds;
    const { total, label } = this.options;
    const detail = this.detail ? ` (${this.detail})` : '';
    if (total === undefined || total <= 0) return `${label} ${this.done} ${rate.toFixed(1)}/s${detail}`;
    const share = Math.min(this.done / total, 1);
    const filled = Math.round(share * BAR);
    const eta = rate > 0 ? (total - this.done) / rate : Number.POSITIVE_INFINITY;
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${this.done}/${total} ${rate.toFixed(1)}/s ETA ${duration(Math.max(eta, 0))}${detail}`;
  }

  private draw(now: number): void {
    this.lastDraw = now;
    if (!this.sink) return;
    this.sink.write(this.sink.isTTY ? `\r\u001b[2K${this.line(now)}` : `${this.line(now)}\n`);
  }

  /** The final line, always written. */
  finish(suffix = ''): void {
    if (!this.sink) return;
    const line = `${this.line()}${suffix}`;
    this.sink.write(this.sink.isTTY ? `\r\u001b[2K${line}\n` : `${line}\n`);
  }
}
