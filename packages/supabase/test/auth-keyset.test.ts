import { expectSwitchyardError } from '@switchyard/contract-tests';
import type { KeySetEvent } from '@switchyard/core/adapter';
import type { FakeGoTrue } from '@switchyard/test-peers/supabase';
import { startFakeGoTrue } from '@switchyard/test-peers/supabase';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSupabaseAuth } from './auth-fixture.js';

// The project's key set (/auth/v1/.well-known/jwks.json) failing while GoTrue's other endpoints work.
describe('SupabaseAuth verifyAccessToken during a key-set outage', () => {
  let fake: FakeGoTrue;
  let stop: () => Promise<void>;
  let token: string;
  let userId: string;

  beforeAll(async () => {
    const started = await startSupabaseAuth();
    fake = started.fake;
    stop = started.stop;
    await started.auth.sendSignInEmail('keyset@example.com');
    const session = await started.auth.verifySignIn({ email: 'keyset@example.com', code: fake.lastEmail('keyset@example.com')!.code });
    token = session.accessToken;
    userId = session.user.id;
  });
  afterAll(() => stop());

  /** Another adapter on the same fake: an empty key-set cache, a clock the test moves, its key-set events. */
  async function adapter() {
    const clock = { now: Date.now() };
    const events: KeySetEvent[] = [];
    const { createSupabaseAuth } = await import('../src/auth/index.js');
    const auth = await createSupabaseAuth(
      {
        url: fake.url,
        anonKey: 'fake-anon-key',
        serviceRoleKey: 'fake-service-role-key',
        keySet: { fetchTimeoutMs: 300 },
        onEvent: (event) => {
          if (event.type === 'keyset') events.push(event);
        },
      },
      { now: () => clock.now },
    );
    return { auth, clock, events };
  }

  it('reports a key set answering 500 as a retryable UNAVAILABLE, and 1,000 tokens over a minute cost a handful of downloads', async () => {
    const { auth, clock, events } = await adapter();
    fake.setJwksMode('error');
    const before = fake.jwksRequests();
    try {
      for (let i = 0; i < 1000; i++) {
        const error = await expectSwitchyardError(auth.verifyAccessToken(token), 'UNAVAILABLE');
        expect(error.retryable).toBe(true);
        clock.now += 60;
      }
      expect(fake.jwksRequests() - before).toBeLessThanOrEqual(5);
      expect(events[0]?.state).toBe('unavailable');
      fake.setJwksMode('ok');
      clock.now += 30_000;
      expect((await auth.verifyAccessToken(token)).id).toBe(userId);
      expect(events.at(-1)?.state).toBe('recovered');
    } finally {
      fake.setJwksMode('ok');
    }
  });

  it('reports a refused connection and a key set that never answers as UNAVAILABLE; concurrent callers share one download', async () => {
    const closed = await startFakeGoTrue({ anonKey: 'a', serviceRoleKey: 's' });
    await closed.close();
    const { createSupabaseAuth } = await import('../src/auth/index.js');
    const refused = await createSupabaseAuth({ url: closed.url, anonKey: 'a', serviceRoleKey: 's' });
    // The token's issuer is the other fake's; the key set is what fails first.
    const tokenForClosed = await closed.signAccessToken({ sub: userId });
    const error = await expectSwitchyardError(refused.verifyAccessToken(tokenForClosed), 'UNAVAILABLE');
    expect(error.retryable).toBe(true);

    const { auth } = await adapter();
    fake.setJwksMode('hang');
    const before = fake.jwksRequests();
    try {
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => auth.verifyAccessToken(token)));
      expect(results.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'UNAVAILABLE')).toBe(true);
      expect(fake.jwksRequests() - before).toBe(1);
    } finally {
      fake.setJwksMode('ok');
    }
  });

  it('keeps verifying with cached keys past their max age while the refresh fails, and reports it', async () => {
    const { auth, clock, events } = await adapter();
    await auth.verifyAccessToken(token);
    fake.setJwksMode('error');
    try {
      clock.now += 11 * 60_000;
      expect((await auth.verifyAccessToken(token)).id).toBe(userId);
      await vi.waitFor(() => expect(events.map((e) => e.state)).toContain('stale'));
      clock.now += 2 * 60 * 60_000;
      await expectSwitchyardError(auth.verifyAccessToken(token), 'UNAVAILABLE');
    } finally {
      fake.setJwksMode('ok');
    }
  });
});
