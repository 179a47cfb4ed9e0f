import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// @switchyard/core is built without code splitting (packages/core/tsup.config.ts): the modules
// src/shared.ts re-exports are one file every entry imports, every other module is copied into
// each entry that uses it. So anything with identity or state must be in shared.ts, or an app
// would hold one SwitchyardError and an adapter another.
const CORE = fileURLToPath(new URL('../../packages/core/', import.meta.url));
const ENTRIES = ['index', 'adapter', 'adapter-db', 'adapter-pubsub', 'adapter-auth', 'adapter-storage', 'adapter-descriptor'];

/** Module-level state outside shared.ts that is known to be harmless when copied: caches and constants. */
const COPYABLE_STATE = new Set(['auth/bounded-fetch.ts', 'storage/keys.ts', 'dual/deadlines.ts', 'dual/turn-clock.ts']);

/** The names an entry's declarations say it exports as values (not types only). */
function declaredValues(entry: string): string[] {
  const file = join(CORE, 'dist', `${entry}.d.ts`);
  const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((symbol) => symbol.name)
    .sort();
}

async function sharedModules(): Promise<Set<string>> {
  const text = await readFile(join(CORE, 'src/shared.ts'), 'utf8');
  return new Set([...text.matchAll(/from '\.\/(.+)\.js'/g)].map((match) => `${match[1]}.ts`));
}

async function sourceFiles(dir = join(CORE, 'src'), base = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await sourceFiles(join(dir, entry.name), path)));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

describe('@switchyard/core entries', () => {
  it('share one instance of everything shared.js exports, in ESM and in CJS', async () => {
    const require = createRequire(import.meta.url);
    for (const format of ['esm', 'cjs'] as const) {
      const load = (name: string): Promise<Record<string, unknown>> =>
        format === 'esm' ? import(join(CORE, 'dist', `${name}.js`)) : Promise.resolve(require(join(CORE, 'dist', `${name}.cjs`)));
      const shared = await load('shared');
      expect(Object.keys(shared).length).toBeGreaterThan(10);
      for (const entry of ENTRIES) {
        const module = await load(entry);
        for (const [name, value] of Object.entries(shared)) {
          if (name in module) expect(module[name], `${format} ${entry}.${name}`).toBe(value);
        }
      }
    }
  });

  // A bundler drops a name that two `export *` lines reach through an external module, silently:
  // the declarations would still promise it.
  it('export at run time, in ESM and CJS, every value their declarations promise', async () => {
    const require = createRequire(import.meta.url);
    for (const entry of ENTRIES) {
      const declared = declaredValues(entry);
      expect(declared.length, entry).toBeGreaterThan(0);
      const esm = Object.keys(await import(join(CORE, 'dist', `${entry}.js`)));
      const cjs = Object.keys(require(join(CORE, 'dist', `${entry}.cjs`)));
      expect(
        declared.filter((name) => !esm.includes(name)),
        `${entry}.js`,
      ).toEqual([]);
      expect(
        declared.filter((name) => !cjs.includes(name)),
        `${entry}.cjs`,
      ).toEqual([]);
    }
  });

  it('keep module-level state only in shared modules (or in a cache listed as copyable)', async () => {
    const shared = await sharedModules();
    const stateful: string[] = [];
    for (const file of await sourceFiles()) {
      if (shared.has(file) || COPYABLE_STATE.has(file)) continue;
      const text = await readFile(join(CORE, 'src', file), 'utf8');
      // A top-level `let`, or a top-level Map/Set/WeakMap/Symbol: state two copies would not share.
      if (/^(export )?let /m.test(text) || /^(export )?const \w+(: [^=]+)? = (new (Weak)?(Map|Set)\b|Symbol\()/m.test(text))
        stateful.push(file);
    }
    expect(stateful, 'add these to src/shared.ts or, if copies are harmless, to COPYABLE_STATE').toEqual([]);
  });
});
