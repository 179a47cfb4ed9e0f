import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createProviders, type PortName, planProviders, SwitchyardError } from '@switchyard/core';
import type { AdapterDescriptor } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { fakeAdapters, fakeGreeting, opened } from './fixtures/fake-adapters.js';

// The two adapter families the flags choose between; core's tests never load a real provider.
const adapters = { alpha: fakeAdapters('alpha', 'ALPHA'), beta: fakeAdapters('beta', 'BETA') };
const storageOnly = { ports: ['storage'] as const, adapters };

async function problemsOf(env: Record<string, string>, ports: readonly PortName[] = ['storage']): Promise<string[]> {
  const error = await planProviders(env, { ports, adapters }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return [];
  expect(SwitchyardError.hasCode(error, 'CONFIG')).toBe(true);
  return (error as SwitchyardError & { details: { problems: { variable: string; problem: string }[] } }).details.problems.map(
    (p) => `${p.variable} ${p.problem}`,
  );
}

describe('planProviders', () => {
  it('lets the selected adapter read its own settings, and redacts the secret ones in the plan', async () => {
    const plan = await planProviders(
      { SWITCHYARD_STORAGE: 'alpha', ALPHA_BUCKET: 'uploads', ALPHA_KEY: 'sekrit-123', BETA_BUCKET: 'ignored' },
      storageOnly,
    );
    const storage = plan.ports.storage;
    expect(storage?.primary.name).toBe('alpha');
    expect(storage?.primary.options).toEqual({ bucket: 'uploads', key: 'sekrit-123', endpoint: undefined });
    expect(storage?.primary.settings).toEqual({ ALPHA_BUCKET: 'uploads', ALPHA_KEY: '[redacted]', ALPHA_ENDPOINT: undefined });
    expect(`${inspect(plan, { depth: 9 })} ${JSON.stringify(plan)}`).not.toContain('sekrit-123');
  });

  it('collects every problem of every selected adapter and of the flags into one CONFIG error', async () => {
    expect(
      await problemsOf(
        {
          SWITCHYARD_STORAGE: 'alpha',
          SWITCHYARD_STORAGE_SHADOW: 'beta',
          SWITCHYARD_STORAGE_READS: 'sideways',
          ALPHA_ENDPOINT: 'ftp://x',
          SWITCHYARD_AUTH: 'alpha',
          SWITCHYARD_AUTH_READS: 'compare',
        },
        ['storage', 'auth'],
      ),
    ).toEqual([
      'SWITCHYARD_STORAGE_READS is "sideways"',
      'SWITCHYARD_AUTH_READS is "compare" but SWITCHYARD_AUTH_SHADOW is not set',
      'ALPHA_BUCKET is not set',
      'ALPHA_ENDPOINT is not a valid URL',
      'BETA_BUCKET is not set',
    ]);
  });

  it('refuses a read mode the port does not have instead of ignoring it', async () => {
    const problems = await planProviders(
      { SWITCHYARD_PUBSUB: 'alpha', SWITCHYARD_PUBSUB_SHADOW: 'beta', SWITCHYARD_PUBSUB_READS: 'compare' },
      {
        ports: ['pubsub'],
        adapters,
      },
    ).catch((e: SwitchyardError) => e.message);
    expect(problems).toContain('SWITCHYARD_PUBSUB_READS is "compare"; expected one of primary');
  });

  it('names every missing peer package in the same error', async () => {
    const withPeers = { gamma: fakeAdapters('gamma', 'GAMMA', '@acme/not-installed-sdk') };
    const error = await planProviders(
      { SWITCHYARD_STORAGE: 'gamma', GAMMA_BUCKET: 'b', SWITCHYARD_AUTH: 'nowhere-adapter-pkg' },
      { ports: ['storage', 'auth'], adapters: withPeers },
    ).catch((e: SwitchyardError) => e);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect((error as SwitchyardError).message).toContain('npm install @acme/not-installed-sdk');
    expect((error as SwitchyardError).message).toContain('SWITCHYARD_AUTH selects nowhere-adapter-pkg, which is not installed');
  });

  it('leaves an unresolvable package to the opening when nothing else is wrong (a bundle carries its own)', async () => {
    const withPeers = { gamma: fakeAdapters('gamma', 'GAMMA', '@acme/not-installed-sdk') };
    const plan = await planProviders({ SWITCHYARD_STORAGE: 'gamma', GAMMA_BUCKET: 'b' }, { ports: ['storage'], adapters: withPeers });
    expect(plan.ports.storage?.primary.name).toBe('gamma');
  });

  it('takes built-in names in any case, and calls a near miss a typo rather than a package to install', async () => {
    const local = { local: fakeAdapters('local', 'LOCALX') };
    const plan = await planProviders({ SWITCHYARD_STORAGE: 'LOCAL', LOCALX_BUCKET: 'b' }, { ports: ['storage'], adapters: local });
    expect(plan.ports.storage?.primary.name).toBe('local');
    const error = await planProviders({ SWITCHYARD_STORAGE: 'awss' }, { ports: ['storage'] }).catch((e: SwitchyardError) => e);
    expect((error as SwitchyardError).message).toContain(
      'SWITCHYARD_STORAGE is "awss", which is neither a built-in adapter nor an installed package (did you mean aws?)',
    );
  });

  it('reports a module that has no adapter for the port', async () => {
    expect(await problemsOf({ SWITCHYARD_DB: 'alpha' }, ['db'])).toEqual([
      'SWITCHYARD_DB selects alpha, whose module exports no db adapter',
    ]);
  });

  it('refuses a descriptor filed under another port', async () => {
    const misfiled = { adapters: { storage: fakeAdapters('odd', 'ODD').adapters.auth as AdapterDescriptor } };
    const error = await planProviders({ SWITCHYARD_STORAGE: 'odd' }, { ports: ['storage'], adapters: { odd: misfiled } }).catch(
      (e: SwitchyardError) => e,
    );
    expect((error as SwitchyardError).message).toContain('SWITCHYARD_STORAGE selects odd, whose module exports no storage adapter');
  });

  it('refuses a ports option that names no port', async () => {
    for (const ports of [['storage', 'queue'], []]) {
      await expect(planProviders({}, { ports: ports as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('suggests the flag a typo meant, and leaves the switchyard command its own variables', async () => {
    expect(await problemsOf({ SWITCHYARD_STROAGE: 'alpha', SWITCHYARD_STORAGE: 'alpha', ALPHA_BUCKET: 'b' })).toEqual([
      'SWITCHYARD_STROAGE is not a Switchyard variable (did you mean SWITCHYARD_STORAGE?)',
    ]);
    expect(await problemsOf({ SWITCHYARD_STORAGE: 'alpha', ALPHA_BUCKET: 'b', SWITCHYARD_MIGRATE_FROM: 'supabase' })).toEqual([]);
  });

  it('loads a third-party adapter from a module path', async () => {
    const file = join(tmpdir(), `sy-third-party-${process.pid}.mjs`);
    await writeFile(
      file,
      `export const adapter = { name: 'disk', port: 'storage', module: 'disk', description: 'x', settings: {},
         options: () => ({ from: 'file' }), peers: () => [], create: async () => ({ provider: 'disk', close: async () => {} }) };`,
    );
    const plan = await planProviders({ SWITCHYARD_STORAGE: file }, { ports: ['storage'] });
    expect(plan.ports.storage?.primary.options).toEqual({ from: 'file' });
  });
});

describe('createProviders', () => {
  it('lists every adapter that refused to open for configuration reasons in one CONFIG error', async () => {
    const refusing = (name: string, port: 'storage' | 'auth'): { adapter: AdapterDescriptor } => ({
      adapter: {
        ...(fakeAdapters(name, name.toUpperCase()).adapters[port] as AdapterDescriptor),
        settings: {},
        create: async () => {
          throw new SwitchyardError({
            code: 'CONFIG',
            port,
            provider: name,
            message: `${name} needs @acme/${name}-sdk: run npm install @acme/${name}-sdk`,
          });
        },
      },
    });
    const error = await createProviders({
      env: { SWITCHYARD_STORAGE: 'one', SWITCHYARD_AUTH: 'two' },
      ports: ['storage', 'auth'],
      adapters: { one: refusing('one', 'storage'), two: refusing('two', 'auth') },
    }).catch((e: SwitchyardError) => e);
    expect(error).toMatchObject({ code: 'CONFIG' });
    expect((error as SwitchyardError).message).toContain('2 adapters could not open');
    expect((error as SwitchyardError).message).toContain('npm install @acme/one-sdk');
    expect((error as SwitchyardError).message).toContain('npm install @acme/two-sdk');
  });

  it('opens only the ports asked for, exposes extras by key, and says which port was not opened', async () => {
    const providers = await createProviders({ env: { SWITCHYARD_STORAGE: 'alpha', ALPHA_BUCKET: 'b' }, ...storageOnly });
    expect(providers.storage.provider).toBe('alpha');
    expect(providers.extra(fakeGreeting)?.()).toBe('hello from alpha');
    expect(opened.at(-1)).toEqual({ name: 'alpha', options: { bucket: 'b', key: undefined, endpoint: undefined } });
    expect(() => providers.db).toThrow(/The db port was not opened/);
    expect(inspect(providers)).toContain("storage: 'alpha'");
    await providers.close();
  });

  it('composes a dual-run port from the two sides, routing auth by the issuers the descriptors declare', async () => {
    const providers = await createProviders({
      env: {
        SWITCHYARD_STORAGE: 'alpha',
        SWITCHYARD_STORAGE_SHADOW: 'beta',
        ALPHA_BUCKET: 'a',
        BETA_BUCKET: 'b',
        SWITCHYARD_AUTH: 'alpha',
        SWITCHYARD_AUTH_SHADOW: 'beta',
      },
      ports: ['storage', 'auth'],
      adapters,
    });
    expect(providers.storage.constructor.name).toBe('DualStorage');
    expect(providers.auth.constructor.name).toBe('DualAuth');
    await providers.close();
  });
});
