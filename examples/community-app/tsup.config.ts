import { defineConfig } from 'tsup';

// An application, not a library: ESM only, no declarations. `server.ts` is an entry of its own
// so that tests and other hosts can start the app without running `main.ts`; `matching` is what
// the match job (examples/matching-job) imports as `community-app/matching`.
export default defineConfig({
  entry: { main: 'src/main.ts', server: 'src/server.ts', matching: 'src/matching/index.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
