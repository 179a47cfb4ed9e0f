import { defineConfig } from 'tsup';

// An application, not a library: ESM only, no declarations. `server.ts` is an entry of its own
// so that tests and other hosts can start the app without running `main.ts`; `shared` is what
// the match job and the Next.js example import as `community-app/shared`.
export default defineConfig({
  entry: { main: 'src/main.ts', server: 'src/server.ts', shared: 'src/shared.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
