// Builds the Lambda asset, dist/lambda: `index.mjs` (the handler, with the matching SQL and
// @switchyard/core bundled in) and, under `node_modules/`, the adapter packages createProviders
// may select. createProviders imports an adapter by a name it reads from the environment
// (`import(specifier)`), which no bundler can follow, so each adapter subpath is an entry point of
// its own, laid out where Node resolves that name from the bundle. One esbuild run with code
// splitting: the handler and the adapters share one copy of @switchyard/core (its dual-run call
// links live in module state) and of the AWS SDK.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist', 'lambda');

/** Every adapter module createProviders can load, by package: the subpaths it imports. */
const ADAPTERS = {
  '@switchyard/aws': ['s3', 'cognito', 'rds', 'redis'],
  '@switchyard/supabase': ['storage', 'auth', 'db', 'realtime'],
  '@switchyard/local': ['.'],
};

const entryPoints = { index: join(root, 'src', 'handler.ts') };
for (const [name, subpaths] of Object.entries(ADAPTERS)) {
  for (const subpath of subpaths) {
    entryPoints[join('node_modules', name, subpath === '.' ? 'index' : subpath)] = subpath === '.' ? name : `${name}/${subpath}`;
  }
}

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // The stack refuses SWITCHYARD_DB=local (a Lambda's /tmp is no database), so PGlite, 10 MB of
  // WebAssembly that only the local database loads, stays out; so do the optional `ws` speedups.
  external: ['@electric-sql/pglite', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS dependencies (pg, ioredis, the AWS SDK) call require() for Node built-ins.
  banner: { js: "import { createRequire as __syCreateRequire } from 'node:module'; const require = __syCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// What makes `import('@switchyard/aws/rds')` from the bundle find the entry point built above.
for (const [name, subpaths] of Object.entries(ADAPTERS)) {
  const exports = Object.fromEntries(subpaths.map((s) => (s === '.' ? ['.', './index.mjs'] : [`./${s}`, `./${s}.mjs`])));
  await mkdir(join(outdir, 'node_modules', name), { recursive: true });
  await writeFile(join(outdir, 'node_modules', name, 'package.json'), `${JSON.stringify({ name, type: 'module', exports }, null, 2)}\n`);
}
