import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per service, so an app loads only what it uses.
  entry: {
    'storage/index': 'src/storage/index.ts',
    'auth/index': 'src/auth/index.ts',
    'db/index': 'src/db/index.ts',
    'realtime/index': 'src/realtime/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
