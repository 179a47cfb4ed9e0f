import { defineConfig } from 'tsup';

// An application, not a library: ESM only, no declarations. `server.ts` is an entry of its own
// so that tests and other hosts can start the app without running `main.ts`.
export default defineConfig({
  entry: ['src/main.ts', 'src/server.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
