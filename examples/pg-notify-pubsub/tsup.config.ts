import { defineConfig } from 'tsup';

// `index.js` holds only the descriptor (what createProviders loads to read settings); the adapter
// and `pg` load when the port is opened.
export default defineConfig({
  entry: { index: 'src/index.ts', 'pg-notify': 'src/pg-notify.ts' },
  format: ['esm'],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
