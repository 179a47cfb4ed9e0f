import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('@switchyard/aws/package.json'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

/** A relative specifier as the file it names: declarations point at `x.js` and mean `x.d.ts`. */
function target(from: string, specifier: string): string {
  const path = join(dirname(from), specifier);
  if (from.endsWith('.d.ts')) return path.replace(/\.js$/, '.d.ts');
  if (from.endsWith('.d.cts')) return path.replace(/\.c?js$/, '.d.cts');
  return path;
}

// ESM `import … from` / `export … from`, and CJS top-level `var x = require(…)`; `import()` and
// the `require` inside `Promise.resolve().then(…)` are the on-demand loads these tests allow.
const STATIC = /^(?:(?:import|export)\b[^;]*?from\s*["']([^"']+)["']|import\s*["']([^"']+)["']|var \w+ = require\(["']([^"']+)["']\))/gm;

/** Every bare specifier `file` reaches through static imports, following relative ones. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const bare = new Set<string>();
  if (seen.has(file)) return bare;
  seen.add(file);
  for (const match of readFileSync(file, 'utf8').matchAll(STATIC)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? '';
    if (specifier.startsWith('.')) for (const name of staticImports(target(file, specifier), seen)) bare.add(name);
    else bare.add(specifier);
  }
  return bare;
}

// S3, Cognito and Redis users install neither @switchyard/postgres nor pg (issue 13).
describe('@switchyard/postgres and pg are optional peers of @switchyard/aws', () => {
  it('declares them as optional peers, not dependencies', () => {
    for (const name of ['@switchyard/postgres', 'pg']) {
      expect(manifest.dependencies ?? {}).not.toHaveProperty(name);
      expect(manifest.peerDependencies).toHaveProperty(name);
      expect(manifest.peerDependenciesMeta?.[name]?.optional).toBe(true);
    }
  });

  it.each(['s3', 'cognito', 'cognito-triggers', 'redis', 'adapters'])('keeps them out of %s, its code and its types', (subpath) => {
    const base = subpath === 'adapters' ? join(root, 'dist', 'adapters') : join(root, 'dist', subpath, 'index');
    const reached = [`${base}.js`, `${base}.cjs`, `${base}.d.ts`, `${base}.d.cts`].flatMap((file) => [...staticImports(file)]);
    // The walk reads the imports (node:crypto, core…), so one of postgres would not slip past it.
    expect(reached.length).toBeGreaterThan(0);
    expect(reached.filter((name) => name === 'pg' || name.startsWith('@switchyard/postgres'))).toEqual([]);
  });
});
