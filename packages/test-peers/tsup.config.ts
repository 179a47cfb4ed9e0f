import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per area, so that importing one (the Supabase fakes, say) does not load the others'
  // clients (pg, ioredis, s3rver); `peers` alone, without vitest, for the bench.
  entry: {
    index: 'src/index.ts',
    'global-setup': 'src/global-setup.ts',
    peers: 'src/peers.ts',
    postgres: 'src/postgres.ts',
    redis: 'src/redis.ts',
    s3rver: 'src/s3rver.ts',
    cognito: 'src/cognito/index.ts',
    supabase: 'src/supabase/index.ts',
    http: 'src/http.ts',
  },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // The tests' own vitest must be the one `inject` talks to: a bundled copy has no provided context.
  external: ['vitest', 'vitest/node'],
});
