import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

/**
 * What every published package builds the same way: ESM and CommonJS with types and source maps,
 * for Node 20 and later. Each package's tsup.config.ts adds its entries and what is its own.
 */
export function packageConfig(options: Options): ReturnType<typeof defineConfig> {
  return defineConfig({ format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'node20', ...options });
}

/**
 * Copies the module `src/<path>` (or the modules under it) into each service entry that imports it, instead of
 * letting code splitting share them as a chunk, which would be one more file for the service to
 * load (about 0.25 ms of cold start, bench row 6). Only for small modules without state or
 * identity: each copy is a separate instance. A service is a folder of `src/` with its own entry;
 * `src/descriptors/` and the files directly in `src/` belong to the `adapters` entry.
 */
export function copiedIntoEachService(packageDir: string, path: string): Plugin {
  const src = resolve(packageDir, 'src');
  const copied = (file: string) => {
    const module = relative(src, file);
    return module === path || module.startsWith(path + sep);
  };
  const serviceOf = (file: string) => {
    const top = relative(src, file).split(sep)[0]!;
    return top === 'descriptors' || top.endsWith('.ts') ? 'adapters' : top;
  };
  return {
    name: 'copied-into-each-service',
    setup(build) {
      build.onResolve({ filter: /^\./ }, ({ path: specifier, resolveDir, importer, pluginData }) => {
        const file = resolve(resolveDir, specifier).replace(/\.js$/, '.ts');
        if (!copied(file)) return undefined;
        // A copied module importing another passes on the service its own copy belongs to.
        const service = (pluginData as { service?: string } | undefined)?.service ?? serviceOf(importer);
        return { path: file, suffix: `?${service}`, pluginData: { service } };
      });
      build.onLoad({ filter: /\.ts$/ }, async ({ path: file, pluginData }) =>
        copied(file) ? { contents: await readFile(file, 'utf8'), loader: 'ts', pluginData } : undefined,
      );
    },
  };
}
