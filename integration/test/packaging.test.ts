import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';
import { bin, publishedPackages } from './support/workspace.js';

const run = promisify(execFile);

/** SDKs an app may not use: a package may only name them as optional peers, never pull them in. */
const CLOUD_SDK = /^(@aws-sdk\/|@supabase\/|aws-jwt-verify$|ioredis$)/;

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

/** `attw` exits 1 when it finds problems; its JSON report is on stdout either way. */
async function attw(dir: string): Promise<AttwProblem[]> {
  const args = ['--pack', dir, '--profile', 'node16', '--format', 'json'];
  const stdout = await run(bin('attw'), args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  const report = JSON.parse(stdout) as { problems?: Record<string, AttwProblem[]> };
  // The node16 profile checks node16 (from ESM and from CJS) and bundler; node10 cannot see subpath exports at all.
  return Object.values(report.problems ?? {})
    .flat()
    .filter((problem) => problem.resolutionKind !== 'node10');
}

const packages = publishedPackages();

describe('published packages', () => {
  it('finds every package to publish', () => {
    expect(packages.map((p) => p.name).sort()).toEqual(
      expect.arrayContaining([
        '@switchyard/aws',
        '@switchyard/contract-tests',
        '@switchyard/core',
        '@switchyard/local',
        '@switchyard/postgres',
        '@switchyard/supabase',
      ]),
    );
  });

  describe.each(packages)('$name', ({ dir, manifest }) => {
    it('passes publint with warnings as errors', async () => {
      const { messages, pkg } = await publint({ pkgDir: dir, strict: true, pack: 'npm' });
      const problems = messages.filter((m) => m.type !== 'suggestion').map((m) => formatMessage(m, pkg, { color: false }));
      expect(problems).toEqual([]);
    });

    it('has types that resolve for ESM and CJS under node16 and bundler resolution (attw)', async () => {
      expect(await attw(dir)).toEqual([]);
    });

    it('declares what an installable package needs', () => {
      expect(manifest).toMatchObject({ type: 'module', sideEffects: false, license: 'MIT', files: expect.arrayContaining(['dist']) });
      expect(manifest.engines).toEqual({ node: '>=20.19' });
      expect(manifest.repository).toMatchObject({ type: 'git', directory: expect.stringMatching(/^packages\//) });
      expect(manifest.exports).toBeTypeOf('object');
      const readme = join(dir, 'README.md');
      expect(existsSync(readme), `${manifest.name} needs a README.md`).toBe(true);
      const text = readFileSync(readme, 'utf8');
      expect(text).toMatch(/npm install (--save-dev |-D )?@switchyard\//);
      expect(text).toMatch(/```(ts|typescript|js)\n/);
    });

    it('never pulls in a cloud SDK: those are optional peers', () => {
      expect(Object.keys(manifest.dependencies ?? {}).filter((name) => CLOUD_SDK.test(name))).toEqual([]);
      const peers = Object.keys(manifest.peerDependencies ?? {}).filter((name) => CLOUD_SDK.test(name));
      expect(peers.filter((name) => manifest.peerDependenciesMeta?.[name]?.optional !== true)).toEqual([]);
    });
  });
});
