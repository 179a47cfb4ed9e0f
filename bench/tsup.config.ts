import { defineConfig } from 'tsup';

// Each file in src/ is a runnable script; test fakes it imports by relative path are bundled in.
export default defineConfig({
  entry: ['src/*.ts'],
  format: ['esm'],
  clean: true,
  target: 'node20',
});
