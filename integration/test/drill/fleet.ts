import { createProviders, DbJournal, type DivergenceEvent, type Providers, SwitchyardError } from '@switchyard/core';
import type { Phase } from './workload.js';

/** One running deployment of the app (its own createProviders, as a separate process would have). */
export interface Instance {
  label: string;
  phase: Phase;
  providers: Providers;
  /** Calls under way: a stopping instance drains them first, as a load balancer's deregistration does. */
  inflight: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The app's running instances. A rolling redeploy starts the next phase's instance while the
 * previous one keeps serving, for the overlap, then stops the old one: writers pick any live
 * instance for each call, as a load balancer would.
 */
export class Fleet {
  readonly live: Instance[] = [];
  readonly divergences: (DivergenceEvent & { phase: Phase })[] = [];
  private count = 0;

  constructor(private readonly envOf: (phase: Phase) => Record<string, string>) {}

  async start(phase: Phase): Promise<Instance> {
    const providers = await createProviders({
      env: this.envOf(phase),
      journal: ({ db }) => new DbJournal(db),
      onEvent: (event) => {
        if (event.type === 'divergence') this.divergences.push({ ...event, phase });
      },
    });
    const instance: Instance = { label: `phase-${phase}#${++this.count}`, phase, providers, inflight: 0 };
    this.live.push(instance);
    return instance;
  }

  /** The rolling redeploy: the new instance serves alongside the old ones for `overlapMs`, then they stop. */
  async roll(phase: Phase, overlapMs: number): Promise<Instance> {
    const old = [...this.live];
    const next = await this.start(phase);
    await pause(overlapMs);
    for (const instance of old) this.live.splice(this.live.indexOf(instance), 1);
    for (let waited = 0; old.some((i) => i.inflight > 0) && waited < 15_000; waited += 50) await pause(50);
    await Promise.allSettled(old.map((instance) => instance.providers.close()));
    return next;
  }

  newest(): Instance {
    const instance = this.live.at(-1);
    if (!instance) throw new Error('no instance is running');
    return instance;
  }

  any(pick: (n: number) => number): Instance {
    return this.live[pick(this.live.length)] ?? this.newest();
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.live.splice(0).map((instance) => instance.providers.close()));
  }
}

/** Counts of calls retried after a retryable error, and of calls that failed for good. */
export interface RetryLog {
  retried: Record<string, number>;
  failed: { what: string; code: string; message: string }[];
}

/**
 * Runs `call` on a live instance, again (maybe on another instance) after a retryable error, as a
 * client retries a 503: what the runbook promises old instances get during the switch.
 */
export async function withRetry<T>(
  fleet: Fleet,
  log: RetryLog,
  what: string,
  pick: (n: number) => number,
  call: (instance: Instance) => Promise<T>,
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    const instance = fleet.any(pick);
    instance.inflight++;
    try {
      return await call(instance);
    } catch (error) {
      const e = SwitchyardError.isInstance(error) ? error : undefined;
      if (e?.retryable && attempt < 60) {
        log.retried[e.code] = (log.retried[e.code] ?? 0) + 1;
        await pause(100 + attempt * 20);
        continue;
      }
      log.failed.push({ what, code: e?.code ?? 'ERROR', message: String((error as Error)?.message ?? error).slice(0, 300) });
      return undefined;
    } finally {
      instance.inflight--;
    }
  }
}
