import { defineConfig } from 'vitest/config';

// Real-peer, release and live-account tiers have configs of their own (vitest.peers.config.ts,
// vitest.release.config.ts, vitest.live.config.ts).
const OTHER_TIERS = [
  '**/*.peers.test.ts',
  '**/*.live.test.ts',
  'integration/test/packaging.test.ts',
  'integration/test/registry.e2e.test.ts',
  '**/node_modules/**',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only add contention on the shared PostgreSQL and Redis.
    maxWorkers: 2,
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'integration/test/**/*.test.ts'],
    exclude: OTHER_TIERS,
  },
});
