import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { packageConfig } from '../../tsup.shared.js';

const SRC = resolve(import.meta.dirname, 'src');

const ENTRIES = {
  index: 'src/index.ts',
  adapter: 'src/adapter.ts',
  'adapter-db': 'src/adapter-db.ts',
  'adapter-pubsub': 'src/adapter-pubsub.ts',
  'adapter-auth': 'src/adapter-auth.ts',
  'adapter-storage': 'src/adapter-storage.ts',
  'adapter-descriptor': 'src/adapter-descriptor.ts',
};

// The modules every entry must share one instance of (`SwitchyardError`, the event link and what
// builds on them), and the few small ones nearly every adapter uses: src/shared.ts re-exports each,
// and is built as shared.js. Every other module holds no state and is bundled into each entry.
const SHARED = new Set([...readFileSync(resolve(SRC, 'shared.ts'), 'utf8').matchAll(/from '\.\/(.+)\.js'/g)].map((match) => match[1]));

/**
 * Turns an import of a shared module into an import of shared.js. Code splitting would instead
 * make a chunk for every set of entries that share a module: an adapter would load four or five
 * files, and each costs about 0.25 ms of cold start (bench row 6). This way every entry, the app's
 * and the adapters' alike, loads itself and shared.js.
 */
const sharedModules: Plugin = {
  name: 'shared-modules',
  setup(build) {
    const extension = build.initialOptions.outExtension?.['.js'] ?? '.js';
    build.onResolve({ filter: /^\./ }, ({ path, resolveDir, importer, kind }) => {
      if (kind === 'entry-point' || relative(SRC, importer) === 'shared.ts') return undefined;
      const module = relative(SRC, resolve(resolveDir, path)).replace(/\.js$/, '');
      return SHARED.has(module) ? { path: `./shared${extension}`, external: true } : undefined;
    });
  },
};

export default packageConfig({
  entry: { ...ENTRIES, shared: 'src/shared.ts' },
  dts: { entry: ENTRIES },
  esbuildPlugins: [sharedModules],
  splitting: false,
});
