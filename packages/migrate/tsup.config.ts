import { defineConfig } from 'tsup';

export default defineConfig({
  // bin.ts is the `switchyard` command (dist/bin.js, ESM, shebang kept); index.ts its programmatic API.
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
