import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/workspace.js';

// Test utilities one package shares with others live in @switchyard/test-peers and are imported by
// name; reaching into another package's test/ folder by relative path couples the two folders'
// layouts and hides the dependency from the package graph.

const SOURCE = /\.(ts|tsx|mts|cts|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);
// import … from '…', export … from '…', import '…', import('…'), require('…').
const IMPORT = /\b(?:(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*|import\s*\(\s*|import\s+|require\s*\(\s*)['"]([^'"\n]+)['"]/g;

interface Import {
  file: string;
  line: number;
  specifier: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string, text = readFileSync(file, 'utf8')): Import[] {
  return [...text.matchAll(IMPORT)].map((match) => ({
    file,
    line: text.slice(0, match.index).split('\n').length,
    specifier: match[3] as string,
    typeOnly: match[2] !== undefined,
  }));
}

/** The folders with a package.json: the workspace's packages (not the root). */
function packageDirs(): string[] {
  const groups = ['packages', 'examples'].flatMap((group) => readdirSync(join(ROOT, group)).map((name) => join(ROOT, group, name)));
  return [...groups, join(ROOT, 'bench'), join(ROOT, 'integration')].filter((dir) => existsSync(join(dir, 'package.json')));
}

function packageOf(path: string, dirs: string[]): string | undefined {
  return dirs.find((dir) => path.startsWith(dir + sep));
}

/** `file:line imports specifier`, for each relative import of another package's test/ folder. */
function crossPackageTestImports(imports: Import[], dirs: string[]): string[] {
  return imports.flatMap(({ file, line, specifier }) => {
    if (!specifier.startsWith('.')) return [];
    const target = resolve(dirname(file), specifier);
    const owner = packageOf(target, dirs);
    if (!owner || owner === packageOf(file, dirs)) return [];
    if (!relative(owner, target).startsWith(`test${sep}`)) return [];
    return [`${relative(ROOT, file)}:${line} imports ${specifier}`];
  });
}

function repositoryImports(): Import[] {
  const roots = [...packageDirs(), join(ROOT, 'scripts')];
  return roots.flatMap(sourceFiles).flatMap((file) => importsOf(file));
}

describe('imports across packages', () => {
  const dirs = packageDirs();

  it("never reach another package's test/ folder by relative path (use @switchyard/test-peers)", () => {
    expect(crossPackageTestImports(repositoryImports(), dirs)).toEqual([]);
  });

  it('are caught, with file and line, in both spellings', () => {
    const file = join(ROOT, 'integration', 'test', 'planted.test.ts');
    // Spelled out of pieces, so that this file's own text holds no such import.
    const aws = ['..', '..', 'packages', 'aws', 'test', 's3-server.js'].join('/');
    const app = ['..', '..', 'examples', 'community-app', 'test', 'support', 'index.js'].join('/');
    const planted = [
      `import { x } from './support/workspace.js';`,
      `import { y } from '${aws}';`,
      `const z = await import('${app}');`,
    ].join('\n');
    expect(crossPackageTestImports(importsOf(file, planted), dirs)).toEqual([
      'integration/test/planted.test.ts:2 imports ../../packages/aws/test/s3-server.js',
      'integration/test/planted.test.ts:3 imports ../../examples/community-app/test/support/index.js',
    ]);
  });
});

describe('@switchyard/test-peers', () => {
  const dir = join(ROOT, 'packages', 'test-peers');
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const imports = sourceFiles(join(dir, 'src')).flatMap((file) => importsOf(file));
  const packageName = (specifier: string) =>
    specifier
      .split('/')
      .slice(0, specifier.startsWith('@') ? 2 : 1)
      .join('/');
  const bare = imports.filter(
    ({ specifier }) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier),
  );
  const where = ({ file, line, specifier }: Import) => `${relative(ROOT, file)}:${line} imports ${specifier}`;

  it('declares every package its source imports (at run time: dependencies or peerDependencies)', () => {
    const runtime = { ...manifest.dependencies, ...manifest.peerDependencies };
    const declared = { ...runtime, ...manifest.devDependencies };
    const missing = bare.filter((entry) => (entry.typeOnly ? declared : runtime)[packageName(entry.specifier)] === undefined);
    expect(missing.map(where)).toEqual([]);
  });

  it('imports no adapter package, nor their source by path: the adapters devDepend on it', () => {
    const adapters = bare.filter(({ specifier }) => specifier.startsWith('@switchyard/') && packageName(specifier) !== '@switchyard/core');
    const escaping = imports.filter(
      ({ file, specifier }) => specifier.startsWith('.') && !resolve(dirname(file), specifier).startsWith(dir + sep),
    );
    expect([...adapters, ...escaping].map(where)).toEqual([]);
  });
});
