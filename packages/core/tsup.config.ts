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

// What every entry has in common, in one file of its own (src/shared.ts re-exports all of it).
const SHARED = new Set([
  'adapter/adapter-errors',
  'adapter/extras',
  'adapter/front/unknown-error',
  'adapter/jwt-payload',
  'adapter/load-peer',
  'adapter/network-errors',
  'auth/email',
  'db/sql',
  'dual/read-only-query',
  'errors',
  'events',
  'redact',
]);
const DESCRIPTOR = new Set(['adapter/descriptor', 'adapter/settings', 'providers/config', 'providers/config-error', 'providers/variables']);
// Lists of names only, with no code of their own: bundled into each entry that imports them.
const REEXPORTS = new Set(['port-api', 'adapter/common']);

/** The output file (without extension) a source module is bundled into. */
function homeOf(file: string): string | undefined {
  const module = relative(SRC, file).replace(/\.ts$/, '');
  if (REEXPORTS.has(module)) return undefined;
  if (module in ENTRIES || module === 'shared') return module;
  if (SHARED.has(module)) return 'shared';
  if (DESCRIPTOR.has(module)) return 'adapter-descriptor';
  const port = /^(?:adapter\/front\/)?(db|pubsub|auth|storage)\b/.exec(module)?.[1];
  if (port) return `adapter-${port}`;
  if (/^(dual|providers)\//.test(module)) return 'index';
  throw new Error(`tsup.config.ts: say which output file src/${module}.ts belongs in`);
}

/**
 * esbuild's code splitting makes a chunk for every distinct set of entries that share a module, so
 * with seven entries an adapter would load four or five files where two do (each costs about
 * 0.25 ms of cold start, bench row 6). Instead every module has one home file, and an import that
 * crosses homes becomes an import of that file: an adapter loads its port's entry and shared.js,
 * and each module still exists once, whichever entries an app loads.
 */
const oneHomePerModule: Plugin = {
  name: 'one-home-per-module',
  setup(build) {
    const extension = build.initialOptions.outExtension?.['.js'] ?? '.js';
    build.onResolve({ filter: /^\./ }, ({ path, resolveDir, importer, kind }) => {
      if (kind === 'entry-point') return undefined;
      const file = resolve(resolveDir, path).replace(/\.js$/, '.ts');
      const target = homeOf(file);
      const from = homeOf(importer);
      // A list of names is read afresh for each home importing it, or esbuild would share it as a chunk.
      if (target === undefined) return { path: file, suffix: `?${from}` };
      if (target === from) return undefined;
      return { path: `./${target}${extension}`, external: true };
    });
  },
};

export default packageConfig({
  entry: { ...ENTRIES, shared: 'src/shared.ts' },
  dts: { entry: ENTRIES },
  esbuildPlugins: [oneHomePerModule],
  // Nothing is shared between entries except through their homes; should a module reach two
  // entries anyway, a chunk keeps it one instance instead of two copies.
  splitting: true,
});
