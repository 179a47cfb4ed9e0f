import { defineConfig } from 'vitest/config';

// The release tier (`npm run test:release`): packing every package and publishing to a private
// registry, then installing from it. One file at a time: each rebuilds the packages (tsup cleans
// dist/), which the other reads; and apart from `npm test`, whose suites read dist/ meanwhile.
export default defineConfig({
  test: {
    include: ['integration/test/packaging.test.ts', 'integration/test/registry.e2e.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
