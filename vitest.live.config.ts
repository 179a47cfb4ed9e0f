import { defineConfig } from 'vitest/config';
import { type LivePlan, planLiveRun } from './packages/live/src/plan.js';

// The live tier (`npm run test:live`): the contract suites against a team's own cloud account, on
// the targets SWITCHYARD_LIVE_TARGETS lists. Planning here refuses a bad configuration before any
// file loads or any request is made; the global setup plans again and hands the plan to the suites.
function plan(): LivePlan {
  try {
    return planLiveRun(process.env);
  } catch (error) {
    // The refusal is for a person to read and act on; a stack trace would bury it.
    console.error((error as Error).message);
    process.exit(1);
  }
}

export default defineConfig({
  test: {
    include: [...new Set(plan().targets.map((target) => target.port))].map((port) => `packages/live/test/${port}.live.test.ts`),
    globalSetup: ['packages/live/src/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
