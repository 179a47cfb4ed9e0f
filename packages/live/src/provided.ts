import { inject } from 'vitest';
import type { TargetOf } from './open.js';
import type { LivePlan } from './plan.js';
import type { LivePort } from './targets/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The plan the live tier's global setup made from the environment. */
    livePlan: LivePlan;
  }
}

/** A planned target, and the prefix of every name its suite writes: the run's prefix and the target's name. */
export interface PlannedTarget<Port extends LivePort> {
  target: TargetOf<Port>;
  namePrefix: string;
}

/** The live plan the global setup provided. */
export function livePlan(): LivePlan {
  const plan = inject('livePlan');
  if (!plan) throw new Error('No live plan was provided: run this file through npm run test:live (vitest.live.config.ts).');
  return plan;
}

/**
 * The planned targets of one port. Each suite's names carry its target's name too, so that two
 * targets on one bucket or database (an S3 endpoint in front of Supabase Storage) never clean up
 * each other's objects while they run.
 */
export function liveTargets<Port extends LivePort>(port: Port): PlannedTarget<Port>[] {
  const { runPrefix, targets } = livePlan();
  return targets
    .filter((target): target is TargetOf<Port> => target.port === port)
    .map((target) => ({ target, namePrefix: `${runPrefix}${target.name}-` }));
}
