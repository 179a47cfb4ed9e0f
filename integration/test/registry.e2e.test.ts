import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Registry, startVerdaccio } from './support/verdaccio.js';
import { publishedPackages, ROOT } from './support/workspace.js';

const run = promisify(execFile);

/** The environment of a fresh shell: nothing npm set for the `npm test` that runs us. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)));
  return { ...env, ...extra };
}

/** The machine's own Node 20 (first `node` on PATH outside node_modules), beside the Node 24 running the tests. */
async function machineNode20(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    const version = await run(candidate, ['--version']).then(
      (r) => r.stdout.trim(),
      () => undefined,
    );
    if (version?.startsWith('v20.')) return candidate;
  }
  throw new Error('No Node 20 on PATH outside node_modules: the registry test runs the installed packages on the machine Node 20 too.');
}

describe('publishing to a private registry and installing from it', () => {
  let registry: Registry;
  let project: string;
  let published: string[] = [];

  beforeAll(async () => {
    registry = await startVerdaccio();
    // The release command exactly as a maintainer runs it; --no-git-tag keeps this checkout's tags untouched.
    await run('npm', ['run', 'release', '--', '--no-git-tag'], {
      cwd: ROOT,
      env: cleanEnv({ SWITCHYARD_REGISTRY: registry.url, NPM_TOKEN: registry.token }),
      maxBuffer: 64 * 1024 * 1024,
    });
    published = [];
    for (const { name } of publishedPackages()) {
      const res = await fetch(`${registry.url}${name.replace('/', '%2f')}`);
      if (res.ok) published.push(name);
    }

    project = await mkdtemp(join(tmpdir(), 'switchyard-consumer-'));
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await writeFile(join(project, '.npmrc'), `@switchyard:registry=${registry.url}\n`);
    await cp(new URL('./fixtures/consumer/', import.meta.url), project, { recursive: true });
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '@switchyard/core', '@switchyard/local', '@switchyard/aws', '@switchyard/supabase'],
      { cwd: project, env: cleanEnv({}), maxBuffer: 64 * 1024 * 1024 },
    );
  }, 600_000);

  afterAll(async () => {
    await registry?.stop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('publishes every public package through npm run release', () => {
    expect(published.sort()).toEqual(
      publishedPackages()
        .map((p) => p.name)
        .sort(),
    );
  });

  it('installs the four packages from the registry without any cloud SDK', async () => {
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@switchyard/aws',
      '@switchyard/core',
      '@switchyard/local',
      '@switchyard/supabase',
    ]);
    const { stdout } = await run('npm', ['ls', '--all', '--parseable'], { cwd: project, env: cleanEnv({}), maxBuffer: 64 * 1024 * 1024 });
    expect(stdout).not.toMatch(/node_modules\/(@aws-sdk|@supabase|ioredis)/);
  });

  const programs = ['check.mjs', 'check.cjs'];
  const nodes = [
    { label: 'Node 24', binary: async () => process.execPath },
    { label: 'Node 20', binary: machineNode20 },
  ];
  for (const { label, binary } of nodes) {
    for (const program of programs) {
      it(`runs ${program} on ${label}: providers from env, every port used`, async () => {
        const node = await binary();
        const data = await mkdtemp(join(tmpdir(), 'switchyard-consumer-data-'));
        try {
          const { stdout } = await run(node, [program, data], { cwd: project, env: cleanEnv({}) });
          expect(JSON.parse(stdout.trim().split('\n').pop() ?? '')).toEqual({
            text: 'hello from the registry',
            sameUser: true,
            note: "it's bound, not spliced",
            message: { hi: 'there' },
          });
        } finally {
          await rm(data, { recursive: true, force: true });
        }
      }, 120_000);
    }
  }
});
