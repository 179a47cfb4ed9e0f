import { normalizeEmail, observe, SwitchyardError, type SwitchyardEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';

describe('observe', () => {
  const target = {
    provider: 'fake',
    async ok(n: number) {
      return n * 2;
    },
    async fails() {
      throw new SwitchyardError({ code: 'NOT_FOUND', message: 'missing' });
    },
    admin: {
      async getUser(id: string) {
        return id;
      },
    },
  };

  it('reports each call with its duration and error, and passes results through', async () => {
    const events: SwitchyardEvent[] = [];
    const port = observe(target, { port: 'auth', provider: 'fake', onEvent: (e) => events.push(e), nested: ['admin'] });
    expect(await port.ok(2)).toBe(4);
    await expect(port.fails()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await port.admin.getUser('u')).toBe('u');
    expect(port.provider).toBe('fake');
    expect(events.map((e) => e.type === 'operation' && [e.operation, e.error?.code])).toEqual([
      ['ok', undefined],
      ['fails', 'NOT_FOUND'],
      ['admin.getUser', undefined],
    ]);
    for (const event of events) expect(event.type === 'operation' && event.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('never lets a throwing hook change the outcome', async () => {
    const port = observe(target, {
      port: 'auth',
      provider: 'fake',
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    expect(await port.ok(1)).toBe(2);
  });

  it('returns the target itself without a hook', () => {
    expect(observe(target, { port: 'auth', provider: 'fake' })).toBe(target);
  });
});

describe('normalizeEmail', () => {
  const context = { provider: 'test', operation: 'sendSignInEmail' };
  it('trims and lower-cases valid addresses and refuses others', () => {
    expect(normalizeEmail('  Ada@Example.COM ', context)).toBe('ada@example.com');
    for (const bad of ['', 'ada', 'ada@', '@x.io', 'a b@x.io', 'ada@localhost', 42]) {
      expect(() => normalizeEmail(bad, context)).toThrow(/Invalid email/);
    }
  });
});
