import { defineConfig } from 'vitest/config';

// Publishing rebuilds and packs every package; it runs after everything that imports their dist/.
const PUBLISHING = ['integration/test/packaging.test.ts', 'integration/test/registry.e2e.test.ts'];

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
          exclude: PUBLISHING,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'publishing', include: PUBLISHING, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
