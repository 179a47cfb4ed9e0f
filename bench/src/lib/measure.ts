import { performance } from 'node:perf_hooks';

/** True for the ~1-minute smoke run (`BENCH_QUICK=1`). */
export const QUICK = process.env.BENCH_QUICK === '1';

/** The full-run count, or the smoke-run count under `BENCH_QUICK=1`. */
export function scale(full: number, quick: number): number {
  return QUICK ? quick : full;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile, `p` in 0–100. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Runs `count` calls of `task(i)` with at most `concurrency` in flight. */
export async function runConcurrent(count: number, concurrency: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** One side of a comparison: `run` performs one trial of `ops` operations. */
export interface Side {
  ops: number;
  run(): Promise<void>;
}

export interface Comparison {
  /** Median operations per second over the trials. */
  port: number;
  anchor: number;
  /** Median of the per-trial ratios port ÷ anchor (paired trials cancel slow drift of a noisy machine). */
  ratio: number;
}

/**
 * Alternates trials of `port` and `anchor` (the order flips every trial) after `warmup` untimed
 * rounds of each, and returns median rates and the median paired ratio.
 */
export async function compare(port: Side, anchor: Side, options: { trials: number; warmup?: number }): Promise<Comparison> {
  for (let i = 0; i < (options.warmup ?? 1); i++) {
    await port.run();
    await anchor.run();
  }
  const portRates: number[] = [];
  const anchorRates: number[] = [];
  const ratios: number[] = [];
  for (let trial = 0; trial < options.trials; trial++) {
    const order = trial % 2 ? [anchor, port] : [port, anchor];
    const rates = new Map<Side, number>();
    for (const side of order) rates.set(side, await rate(side));
    portRates.push(rates.get(port)!);
    anchorRates.push(rates.get(anchor)!);
    ratios.push(rates.get(port)! / rates.get(anchor)!);
  }
  return { port: median(portRates), anchor: median(anchorRates), ratio: median(ratios) };
}

/** Median rate of `side` alone over `trials`, after one warm-up trial. */
export async function measureAlone(side: Side, options: { trials: number; warmup?: number }): Promise<number> {
  for (let i = 0; i < (options.warmup ?? 1); i++) await side.run();
  const rates: number[] = [];
  for (let trial = 0; trial < options.trials; trial++) rates.push(await rate(side));
  return median(rates);
}

async function rate(side: Side): Promise<number> {
  const start = performance.now();
  await side.run();
  return side.ops / ((performance.now() - start) / 1000);
}

/** Median rate of each side, trials rotating the order so none always runs first; one warm-up each. */
export async function measureEach(sides: readonly Side[], options: { trials: number }): Promise<number[]> {
  for (const side of sides) await side.run();
  const rates: number[][] = sides.map(() => []);
  for (let trial = 0; trial < options.trials; trial++) {
    for (let k = 0; k < sides.length; k++) {
      const index = (k + trial) % sides.length;
      rates[index]!.push(await rate(sides[index]!));
    }
  }
  return rates.map(median);
}
