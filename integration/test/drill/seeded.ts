/** A deterministic random source: the same seed gives the same timings, choices and faults. */
export class Seeded {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** mulberry32: small, fast, and the same on every platform. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = Math.floor(this.next() * 4294967296);
      out[i] = v & 255;
      if (i + 1 < n) out[i + 1] = (v >>> 8) & 255;
      if (i + 2 < n) out[i + 2] = (v >>> 16) & 255;
      if (i + 3 < n) out[i + 3] = (v >>> 24) & 255;
    }
    return out;
  }
}

/** The faults one seed injects, chosen from the seed so a failing seed replays them exactly. */
export interface FaultPlan {
  /** The storage shadow (S3 in phase 2, Supabase in phase 3) refuses connections for a while. */
  shadowDown: boolean;
  /** The primary database resets its connections once mid-phase. */
  primaryBlip: boolean;
  /** The replication link (subscriber → publisher) is delayed. */
  replicationSlow: boolean;
}

export function faultPlan(random: Seeded): FaultPlan {
  return { shadowDown: random.chance(0.7), primaryBlip: random.chance(0.6), replicationSlow: random.chance(0.6) };
}

/** The seeds to run: SWITCHYARD_DRILL_SEED replays one; otherwise SWITCHYARD_DRILL_SEEDS (default 3) fresh ones. */
export function drillSeeds(env: NodeJS.ProcessEnv = process.env): number[] {
  if (env.SWITCHYARD_DRILL_SEED) return [Number(env.SWITCHYARD_DRILL_SEED)];
  const count = Number(env.SWITCHYARD_DRILL_SEEDS ?? 3);
  return Array.from({ length: count }, () => Math.floor(Math.random() * 2 ** 31));
}
