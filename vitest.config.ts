import { defineConfig } from 'vitest/config';

// Publishing rebuilds and packs every package; it runs after everything that imports their dist/.
const PUBLISHING = ['integration/test/packaging.test.ts', 'integration/test/registry.e2e.test.ts'];
// Real-peer and live-account tiers have configs of their own (vitest.peers.config.ts, vitest.live.config.ts).
const OTHER_TIERS = ['**/*.peers.test.ts', '**/*.live.test.ts', '**/node_modules/**'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only add contention on the shared PostgreSQL and Redis.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'packages',
          include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'integration/test/**/*.test.ts'],
          exclude: [...PUBLISHING, ...OTHER_TIERS],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        // One file at a time: each rebuilds the packages (tsup cleans dist/), which the other reads.
        test: { name: 'publishing', include: PUBLISHING, sequence: { groupOrder: 1 }, fileParallelism: false },
      },
    ],
  },
});
