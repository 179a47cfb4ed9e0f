// Builds the Lambda asset, dist/lambda: `index.mjs` (the handler, with the matching SQL and
// @switchyard/core bundled in) and, under `node_modules/`, the adapter packages createProviders
// may select. createProviders imports an adapter by a name it reads from the environment
// (`import(specifier)`), which no bundler can follow, so each adapter subpath is an entry point of
// its own, laid out where Node resolves that name from the bundle. One esbuild run with code
// splitting: the handler and the adapters share one copy of @switchyard/core (its dual-run call
// links live in module state) and of the AWS SDK.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist', 'lambda');

/**
 * The packages whose adapters createProviders can select. Every subpath each one exports is an
 * entry point, so the asset follows the packages' own `exports` as adapters move between subpaths.
 */
const ADAPTER_PACKAGES = ['@switchyard/aws', '@switchyard/supabase', '@switchyard/local'];
const require = createRequire(import.meta.url);

/** `{ subpath: file }`, e.g. `{ './rds': './rds.mjs' }`, from the package's own exports map. */
function subpathsOf(name) {
  const { exports } = require(`${name}/package.json`);
  const subpaths = Object.keys(exports).filter((subpath) => subpath !== './package.json');
  return Object.fromEntries(subpaths.map((subpath) => [subpath, subpath === '.' ? './index.mjs' : `${subpath}.mjs`]));
}

const ADAPTERS = Object.fromEntries(ADAPTER_PACKAGES.map((name) => [name, subpathsOf(name)]));
const entryPoints = { index: join(root, 'src', 'handler.ts') };
for (const [name, subpaths] of Object.entries(ADAPTERS)) {
  for (const [subpath, file] of Object.entries(subpaths)) {
    entryPoints[join('node_modules', name, file.slice(2, -'.mjs'.length))] = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
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
for (const [name, exports] of Object.entries(ADAPTERS)) {
  await mkdir(join(outdir, 'node_modules', name), { recursive: true });
  await writeFile(join(outdir, 'node_modules', name, 'package.json'), `${JSON.stringify({ name, type: 'module', exports }, null, 2)}\n`);
}
