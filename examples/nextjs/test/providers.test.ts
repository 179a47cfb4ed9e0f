import * as core from '@switchyard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('@switchyard/core', async (importOriginal) => {
  const original = await importOriginal<typeof core>();
  return { ...original, createProviders: vi.fn() };
});
vi.mock('community-app/shared', () => ({ migrate: vi.fn(async () => []) }));

const KEY = Symbol.for('switchyard.examples.nextjs.providers');

describe('getProviders (lib/providers.ts)', () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[KEY];
    vi.mocked(core.createProviders).mockReset();
  });

  it('opens the ports once per process, even when dev hot reload evaluates the module again', async () => {
    const ports = { auth: {}, db: {}, extra: () => undefined, close: vi.fn() } as unknown as core.Providers;
    vi.mocked(core.createProviders).mockResolvedValue(ports);
    const first = await import('../lib/providers');
    const a = await first.getProviders();
    vi.resetModules();
    const reloaded = await import('../lib/providers');
    expect(reloaded).not.toBe(first);
    expect(await reloaded.getProviders()).toBe(a);
    expect(core.createProviders).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed opening, so the next request tries again', async () => {
    const down = new core.SwitchyardError({ code: 'UNAVAILABLE', port: 'db', retryable: true, message: 'database down (injected)' });
    vi.mocked(core.createProviders).mockRejectedValueOnce(down);
    const { getProviders } = await import('../lib/providers');
    await expect(getProviders()).rejects.toBe(down);
    vi.mocked(core.createProviders).mockResolvedValueOnce({
      auth: {},
      db: {},
      extra: () => undefined,
      close: vi.fn(),
    } as unknown as core.Providers);
    await expect(getProviders()).resolves.toBeDefined();
    expect(core.createProviders).toHaveBeenCalledTimes(2);
  });
});
