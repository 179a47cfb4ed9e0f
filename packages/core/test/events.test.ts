import {
  asSideCall,
  nextDualCallId,
  normalizeEmail,
  type OperationEvent,
  observe,
  printsAs,
  SwitchyardError,
  type SwitchyardEvent,
} from '@switchyard/core/adapter';
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

  it('links a call started inside asSideCall to its dual-run call, and nothing else', async () => {
    const events: OperationEvent[] = [];
    const onEvent = (e: SwitchyardEvent) => {
      if (e.type === 'operation') events.push(e);
    };
    const inner = observe(target, { port: 'db', provider: 'inner', onEvent });
    // A side adapter that, inside its own call, synchronously calls another observed port.
    const side = observe(
      {
        async put(n: number) {
          const doubled = inner.ok(n);
          return doubled;
        },
      },
      { port: 'storage', provider: 'shadowy', onEvent },
    );
    const link = { id: nextDualCallId(), role: 'shadow' as const };
    await asSideCall(link, () => side.put(1));
    await side.put(2);
    expect(events.map((e) => [e.provider, e.operation, e.dual])).toEqual([
      ['inner', 'ok', undefined],
      ['shadowy', 'put', link],
      ['inner', 'ok', undefined],
      ['shadowy', 'put', undefined],
    ]);
    expect(nextDualCallId()).toBeGreaterThan(link.id);
  });

  it('restores the outer link when the side call throws synchronously', async () => {
    const link = { id: nextDualCallId(), role: 'primary' as const };
    expect(() =>
      asSideCall(link, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const events: OperationEvent[] = [];
    const port = observe(target, { port: 'auth', provider: 'fake', onEvent: (e) => e.type === 'operation' && events.push(e) });
    await port.ok(1);
    expect(events).toHaveLength(1);
    expect(events[0]?.dual).toBeUndefined();
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

describe('observe and printing', () => {
  it('does not report printing or serialising a port as operations', () => {
    const events: unknown[] = [];
    const port = observe(printsAs({ provider: 'fake', head: async () => null }, { provider: 'fake' }), {
      port: 'storage',
      provider: 'fake',
      onEvent: (e) => events.push(e),
    });
    expect(JSON.stringify(port)).toBe('{"provider":"fake"}');
    expect(String(port)).toBe('[Object]');
    expect(events).toEqual([]);
  });
});
