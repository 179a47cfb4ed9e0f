import { defineConfig, type Options } from 'tsup';

/**
 * What every published package builds the same way: ESM and CommonJS with types and source maps,
 * for Node 20 and later. Each package's tsup.config.ts adds its entries and what is its own.
 */
export function packageConfig(options: Options): ReturnType<typeof defineConfig> {
  return defineConfig({ format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'node20', ...options });
}
