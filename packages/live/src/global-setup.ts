import type { TestProject } from 'vitest/node';
import { planLiveRun } from './plan.js';
import { sweep } from './sweep.js';

/**
 * Global setup of the live tier: plans the run from the environment (refusing before any I/O),
 * hands the plan to the suites, says which targets run and which do not, and after the suites —
 * passed or failed — sweeps everything carrying the live prefix from every target.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const plan = planLiveRun(process.env);
  project.provide('livePlan', plan);
  const ran = plan.targets.map((target) => target.name).join(', ');
  const skipped = plan.unlisted.length > 0 ? plan.unlisted.join(', ') : 'none';
  console.log(`live tier: running ${ran}; names start with ${plan.runPrefix}; not listed, not run: ${skipped}`);
  return async () => {
    const results = await Promise.allSettled(plan.targets.map((target) => sweep(target, plan.prefix)));
    const failed: string[] = [];
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') console.log(`live tier sweep: ${result.value}`);
      else failed.push(`${plan.targets[i]?.name}: ${String(result.reason)}`);
    }
    console.log(`live tier: ran ${ran}; not run: ${skipped}`);
    if (failed.length > 0)
      throw new Error(`The live tier's final sweep failed; remove what carries ${plan.prefix} by hand:\n${failed.join('\n')}`);
  };
}
