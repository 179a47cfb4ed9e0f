import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/adapters.ts'],
  // One copy of each adapter per format, shared by both entries: `./adapters` stays light and
  // loads the adapter its `create` opens from the same chunk the main entry uses.
  splitting: true,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
