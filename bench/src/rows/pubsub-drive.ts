import { performance } from 'node:perf_hooks';
import { median, percentile, runConcurrent, type Side } from '../lib/measure.js';
import { BODY, type Bus } from './pubsub-buses.js';

const IN_FLIGHT = 32;

/**
 * A bus with `subscribers` handlers, driven for throughput (publishes with up to 32 in flight,
 * timed until every handler has every message) and for latency (one message at a time, each
 * delivery timed from just before `publish`).
 */
export class DrivenBus {
  private seq = 0;
  private remaining = 0;
  private drained: (() => void) | undefined;
  private readonly sentAt = new Map<number, number>();
  private latencies: number[] | undefined;

  private constructor(
    readonly bus: Bus,
    readonly subscribers: number,
  ) {}

  static async open(bus: Bus, subscribers: number): Promise<DrivenBus> {
    const driven = new DrivenBus(bus, subscribers);
    await bus.subscribe(subscribers, (seq) => driven.delivered(seq));
    return driven;
  }

  private delivered(seq: number): void {
    if (this.latencies) {
      const sent = this.sentAt.get(seq);
      if (sent !== undefined) this.latencies.push(performance.now() - sent);
    }
    if (--this.remaining === 0) this.drained?.();
  }

  /** Publishes `count` messages and resolves once all `count × subscribers` deliveries arrived. */
  private async send(count: number, inFlight: number): Promise<void> {
    this.remaining = count * this.subscribers;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${count * this.subscribers - this.remaining} deliveries arrived`)), 60_000);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    await runConcurrent(count, inFlight, () => {
      const seq = ++this.seq;
      if (this.latencies) this.sentAt.set(seq, performance.now());
      return this.bus.publish({ seq, body: BODY });
    });
    await done;
  }

  /** A Side whose trial publishes `count` messages; the rate is messages published per second. */
  throughput(count: number): Side {
    return { ops: count, run: () => this.send(count, IN_FLIGHT) };
  }

  /** Latencies (ms) of every delivery of `count` messages sent one at a time. */
  async latency(count: number): Promise<number[]> {
    this.latencies = [];
    this.sentAt.clear();
    for (let i = 0; i < count; i++) await this.send(1, 1);
    const result = this.latencies;
    this.latencies = undefined;
    return result;
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}

export interface LatencySummary {
  p50: number;
  p99: number;
}

/** Alternating latency trials of two buses; percentiles over every delivery, p50 ratio per trial pair. */
export async function compareLatency(
  port: DrivenBus,
  anchor: DrivenBus,
  options: { messages: number; trials: number },
): Promise<{ port: LatencySummary; anchor: LatencySummary; ratio: number }> {
  await port.latency(Math.min(50, options.messages));
  await anchor.latency(Math.min(50, options.messages));
  const all = { port: [] as number[], anchor: [] as number[] };
  const ratios: number[] = [];
  for (let trial = 0; trial < options.trials; trial++) {
    const first = trial % 2 ? anchor : port;
    const second = first === port ? anchor : port;
    const a = await first.latency(options.messages);
    const b = await second.latency(options.messages);
    const [portRun, anchorRun] = first === port ? [a, b] : [b, a];
    all.port.push(...portRun);
    all.anchor.push(...anchorRun);
    ratios.push(median(anchorRun) / median(portRun));
  }
  const summary = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  return { port: summary(all.port), anchor: summary(all.anchor), ratio: median(ratios) };
}
