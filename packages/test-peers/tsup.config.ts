import { defineConfig } from 'tsup';

export default defineConfig({
  // `peers` alone, without vitest, for the bench.
  entry: ['src/index.ts', 'src/global-setup.ts', 'src/peers.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // The tests' own vitest must be the one `inject` talks to: a bundled copy has no provided context.
  external: ['vitest', 'vitest/node'],
});
