import { KeySetCache, type KeySetEvent, type SwitchyardEvent } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

const URL_ = 'https://idp.example.com/.well-known/jwks.json';
const key = (kid: string) => ({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid, alg: 'ES256', use: 'sig' });

type Mode = 'ok' | 'error' | 'refuse' | 'hang' | 'garbage';

/** A scripted key-set endpoint: what it serves, how often it was asked, and a clock the test moves. */
function setup(options: { maxAgeMs?: number; staleIfErrorMs?: number } = {}) {
  const state = { mode: 'ok' as Mode, kids: ['k1'], fetches: 0, now: 1_000_000 };
  const events: KeySetEvent[] = [];
  const fetchImpl = (async (_url: string, init?: RequestInit) => {
    state.fetches++;
    switch (state.mode) {
      case 'error':
        return new Response('oops', { status: 500 });
      case 'refuse':
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      case 'garbage':
        return new Response('<html>', { status: 200 });
      case 'hang':
        return new Promise<Response>((_, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
      default:
        return Response.json({ keys: state.kids.map(key) });
    }
  }) as typeof fetch;
  const cache = new KeySetCache({
    url: URL_,
    provider: 'test',
    fetch: fetchImpl,
    now: () => state.now,
    fetchTimeoutMs: 50,
    onEvent: (event: SwitchyardEvent) => {
      if (event.type === 'keyset') events.push(event);
    },
    ...options,
  });
  return { cache, state, events };
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as { code: string; retryable: boolean; reason?: string },
  );
}

describe('KeySetCache', () => {
  it('fetches once, then answers from memory', async () => {
    const { cache, state } = setup();
    expect((await cache.key('k1')).kid).toBe('k1');
    for (let i = 0; i < 100; i++) await cache.key('k1');
    expect(state.fetches).toBe(1);
  });

  for (const mode of ['error', 'refuse', 'hang', 'garbage'] as const) {
    it(`reports a key set it cannot fetch (${mode}) as a retryable UNAVAILABLE, never UNAUTHENTICATED`, async () => {
      const { cache, state, events } = setup();
      state.mode = mode;
      const error = await failure(cache.key('k1'));
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      expect(events.map((e) => e.state)).toEqual(['unavailable']);
      expect(events[0]?.url).toBe(URL_);
    });
  }

  it('backs off after a failure: 1,000 sequential tokens over a simulated minute cost at most 5 downloads', async () => {
    const { cache, state } = setup();
    state.mode = 'error';
    for (let i = 0; i < 1000; i++) {
      expect(await failure(cache.key('k1'))).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      state.now += 60;
    }
    expect(state.fetches).toBeGreaterThanOrEqual(2);
    expect(state.fetches).toBeLessThanOrEqual(5);
  });

  it('lets concurrent callers share one download, succeeding or failing', async () => {
    const { cache, state } = setup();
    state.mode = 'hang';
    const failed = await Promise.all(Array.from({ length: 50 }, () => failure(cache.key('k1'))));
    expect(failed.every((e) => e.code === 'UNAVAILABLE')).toBe(true);
    expect(state.fetches).toBe(1);
    state.mode = 'ok';
    state.now += 60_000;
    await Promise.all(Array.from({ length: 50 }, () => cache.key('k1')));
    expect(state.fetches).toBe(2);
  });

  it('recovers by itself once the back-off has passed, and reports it', async () => {
    const { cache, state, events } = setup();
    state.mode = 'refuse';
    await failure(cache.key('k1'));
    state.mode = 'ok';
    expect(await failure(cache.key('k1')), 'still backing off').toMatchObject({ code: 'UNAVAILABLE' });
    expect(state.fetches).toBe(1);
    state.now += 5_000;
    expect((await cache.key('k1')).kid).toBe('k1');
    expect(events.map((e) => e.state)).toEqual(['unavailable', 'recovered']);
  });

  it('keeps verifying with stale keys while a refresh fails, within the grace period only', async () => {
    const { cache, state, events } = setup({ maxAgeMs: 10_000, staleIfErrorMs: 60_000 });
    await cache.key('k1');
    state.mode = 'error';
    state.now += 10_001;
    expect((await cache.key('k1')).kid, 'stale keys still answer').toBe('k1');
    await cache.settled();
    expect(state.fetches).toBe(2);
    expect(events.map((e) => e.state)).toEqual(['stale']);
    expect(events[0]?.error?.code).toBe('UNAVAILABLE');
    // Many calls during the outage: the background refresh backs off too.
    for (let i = 0; i < 200; i++) {
      await cache.key('k1');
      await cache.settled();
      state.now += 100;
    }
    expect(state.fetches).toBeLessThanOrEqual(4);
    state.now += 60_000;
    expect(await failure(cache.key('k1')), 'past the grace period').toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(events.at(-1)?.state).toBe('unavailable');
    state.mode = 'ok';
    state.now += 30_000;
    await cache.key('k1');
    expect(events.at(-1)?.state).toBe('recovered');
  });

  it('refetches for a new kid (a rotation), and at most once per interval for unknown kids', async () => {
    const { cache, state } = setup();
    await cache.key('k1');
    state.kids = ['k1', 'k2'];
    expect((await cache.key('k2')).kid).toBe('k2');
    expect(state.fetches).toBe(2);
    for (let i = 0; i < 20; i++)
      expect(await failure(cache.key(`forged-${i}`))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid' });
    expect(state.fetches, 'the interval started with the rotation').toBe(2);
    state.now += 60_000;
    expect(await failure(cache.key('forged-x'))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid' });
    expect(state.fetches).toBe(3);
  });

  it('does not call an unknown kid invalid when the refetch for it failed', async () => {
    const { cache, state } = setup();
    await cache.key('k1');
    state.mode = 'error';
    expect(await failure(cache.key('k2'))).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(await failure(cache.key('k3')), 'within the interval, after a failure').toMatchObject({ code: 'UNAVAILABLE' });
    expect((await cache.key('k1')).kid, 'known keys still verify').toBe('k1');
  });

  it('tries once more when a pooled keep-alive connection turns out dead (the server closed it while idle)', async () => {
    let calls = 0;
    const cache = new KeySetCache({
      url: URL_,
      provider: 'test',
      fetch: (async () => {
        calls++;
        if (calls === 1)
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
        return Response.json({ keys: [key('k1')] });
      }) as typeof fetch,
    });
    expect((await cache.key('k1')).kid).toBe('k1');
    expect(calls).toBe(2);
    expect(cache.fetchCount, 'one download, two connections').toBe(1);
  });

  it('refuses a token that names no key', async () => {
    const { cache, state } = setup();
    expect(await failure(cache.key(undefined))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid' });
    expect(state.fetches).toBe(0);
  });
});
