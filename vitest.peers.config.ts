import { defineConfig } from 'vitest/config';

// The real-peer tier (`npm run test:peers`): suites against real servers started once for the run
// by the global setup (Supabase Storage, Ceph RGW, moto). A peer that cannot start fails the run.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.peers.test.ts', 'integration/test/**/*.peers.test.ts'],
    globalSetup: ['packages/test-peers/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
