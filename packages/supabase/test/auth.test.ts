import { expectSwitchyardError } from '@switchyard/contract-tests';
import type { AuthPort } from '@switchyard/core/adapter';
import type { FakeGoTrue } from '@switchyard/test-peers/supabase';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupabaseAuth } from './auth-fixture.js';

const now = () => Math.floor(Date.now() / 1000);

describe('SupabaseAuth', () => {
  let auth: AuthPort;
  let fake: FakeGoTrue;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ auth, fake, stop } = await startSupabaseAuth());
  });
  afterAll(() => stop());

  async function signIn(email: string) {
    await auth.sendSignInEmail(email);
    return auth.verifySignIn({ email, code: fake.lastEmail(email)!.code });
  }

  describe('verifyAccessToken', () => {
    it('fetches the key set once and then verifies without any request', async () => {
      const session = await signIn(`jwks-${Date.now()}@example.com`);
      await auth.verifyAccessToken(session.accessToken);
      const fetched = fake.jwksRequests();
      const requests = fake.requests.length;
      for (let i = 0; i < 20; i++) await auth.verifyAccessToken(session.accessToken);
      expect(fake.jwksRequests()).toBe(fetched);
      expect(fake.requests.length).toBe(requests);
    });

    it('refetches the key set at most once per one-minute cooldown for unknown kids', async () => {
      const session = await signIn(`forged-${Date.now()}@example.com`);
      await auth.verifyAccessToken(session.accessToken);
      const before = fake.jwksRequests();
      for (let i = 0; i < 5; i++) {
        const forged = await fake.signAccessToken({ sub: session.user.id }, { unknownKey: true });
        await expectSwitchyardError(auth.verifyAccessToken(forged), 'UNAUTHENTICATED', 'invalid');
      }
      // The first unknown kid may be a rotation, so it is looked up once; the rest wait for the cooldown.
      expect(fake.jwksRequests()).toBeLessThanOrEqual(before + 1);
    });

    it('refetches once for a rotated key after the cooldown, then verifies locally again', async () => {
      const { auth: rotating, fake: rotatingFake, stop: stopRotating } = await startSupabaseAuth({}, { jwksCooldownMs: 200 });
      try {
        await rotating.sendSignInEmail('rotate@example.com');
        const session = await rotating.verifySignIn({
          email: 'rotate@example.com',
          code: rotatingFake.lastEmail('rotate@example.com')!.code,
        });
        await rotating.verifyAccessToken(session.accessToken);
        expect(rotatingFake.jwksRequests()).toBe(1);
        await rotatingFake.rotateKey();
        const rotated = await rotatingFake.signAccessToken({ sub: session.user.id });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect((await rotating.verifyAccessToken(rotated)).id).toBe(session.user.id);
        expect(rotatingFake.jwksRequests()).toBe(2);
        await rotating.verifyAccessToken(rotated);
        await rotating.verifyAccessToken(session.accessToken);
        expect(rotatingFake.jwksRequests()).toBe(2);
      } finally {
        await stopRotating();
      }
    });

    it('returns the user, session and role from the claims', async () => {
      const email = `claims-${Date.now()}@example.com`;
      const session = await signIn(email);
      const user = await auth.verifyAccessToken(session.accessToken);
      expect(user).toMatchObject({ id: session.user.id, email, emailVerified: true, provider: 'supabase', role: 'authenticated' });
      expect(user.sessionId).toBe(session.user.sessionId);
    });
  });

  describe('with the legacy HS256 secret', () => {
    const secret = 'super-secret-jwt-token-with-at-least-32-characters';
    let legacy: AuthPort;
    let legacyFake: FakeGoTrue;
    let stopLegacy: () => Promise<void>;

    beforeAll(async () => {
      ({ auth: legacy, fake: legacyFake, stop: stopLegacy } = await startSupabaseAuth({}, { jwtSecret: secret }));
    });
    afterAll(() => stopLegacy());

    const hs256 = (claims: Record<string, unknown>, key = secret) =>
      new SignJWT({
        aud: 'authenticated',
        role: 'authenticated',
        iss: legacyFake.issuer,
        sub: crypto.randomUUID(),
        iat: now(),
        exp: now() + 600,
        ...claims,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(key));

    it('accepts HS256 tokens signed with the secret, without fetching keys', async () => {
      const token = await hs256({ email: 'legacy@example.com' });
      expect((await legacy.verifyAccessToken(token)).email).toBe('legacy@example.com');
      expect(legacyFake.jwksRequests()).toBe(0);
    });

    it('refuses HS256 tokens signed with another secret, expired or for another issuer', async () => {
      await expectSwitchyardError(
        legacy.verifyAccessToken(await hs256({}, 'another-secret-of-sufficient-length-000')),
        'UNAUTHENTICATED',
        'invalid',
      );
      await expectSwitchyardError(legacy.verifyAccessToken(await hs256({ exp: now() - 10 })), 'UNAUTHENTICATED', 'expired');
      await expectSwitchyardError(
        legacy.verifyAccessToken(await hs256({ iss: 'https://evil.example.com/auth/v1' })),
        'UNAUTHENTICATED',
        'invalid',
      );
    });

    it('refuses HS256 tokens when no secret is configured', async () => {
      await expectSwitchyardError(auth.verifyAccessToken(await hs256({ iss: fake.issuer })), 'UNAUTHENTICATED', 'invalid');
    });
  });

  describe('error mapping', () => {
    const cases: [string, number, string, string, string?][] = [
      ['/otp', 429, 'over_email_send_rate_limit', 'RATE_LIMITED'],
      ['/otp', 429, 'over_request_rate_limit', 'RATE_LIMITED'],
      ['/otp', 503, 'unexpected_failure', 'UNAVAILABLE'],
      ['/otp', 500, 'unexpected_failure', 'UNAVAILABLE'],
      ['/otp', 403, 'email_address_not_authorized', 'FORBIDDEN'],
      ['/otp', 422, 'signup_disabled', 'FORBIDDEN'],
    ];
    for (const [path, status, code, expected] of cases) {
      it(`maps ${status} ${code} on sendSignInEmail to ${expected}`, async () => {
        fake.failNext({ path, status, body: { code, message: 'refused' }, headers: { 'x-supabase-api-version': '2024-01-01' } });
        const error = await expectSwitchyardError(auth.sendSignInEmail(`map-${Date.now()}@example.com`), expected as never);
        expect(error.provider).toBe('supabase');
        expect(error.operation).toBe('sendSignInEmail');
        expect(error.cause).toBeDefined();
      });
    }

    it('maps refresh_token_already_used to revoked and an expired session to expired', async () => {
      fake.failNext({
        path: '/token',
        status: 400,
        body: { code: 400, error_code: 'refresh_token_already_used', msg: 'Invalid Refresh Token: Already Used' },
      });
      await expectSwitchyardError(auth.refresh('some-token'), 'UNAUTHENTICATED', 'revoked');
      fake.failNext({
        path: '/token',
        status: 400,
        body: { code: 400, error_code: 'session_expired', msg: 'Invalid Refresh Token: Session Expired' },
      });
      await expectSwitchyardError(auth.refresh('another-token'), 'UNAUTHENTICATED', 'expired');
    });

    it('maps admin errors: user_not_found, email_exists and a wrong service key', async () => {
      await expectSwitchyardError(auth.admin.updateUser(crypto.randomUUID(), { metadata: {} }), 'NOT_FOUND');
      const email = `dup-${Date.now()}@example.com`;
      await auth.admin.createUser({ email });
      await expectSwitchyardError(auth.admin.createUser({ email }), 'CONFLICT');
      fake.failNext({ path: '/admin/users', status: 403, body: { code: 403, error_code: 'not_admin', msg: 'User not allowed' } });
      await expectSwitchyardError(auth.admin.listUsers(), 'CONFIG');
    });

    it('never puts the token or the address into the message', async () => {
      const email = `secret-${Date.now()}@example.com`;
      await auth.sendSignInEmail(email);
      const error = await expectSwitchyardError(auth.verifySignIn({ email, code: '000000' }), 'UNAUTHENTICATED', 'invalid');
      expect(error.message).not.toContain(email);
      expect(error.message).not.toContain('000000');
    });
  });

  describe('refresh', () => {
    it('gives each of many concurrent refreshes its own user', async () => {
      const sessions = await Promise.all(Array.from({ length: 4 }, (_, i) => signIn(`concurrent-${i}-${Date.now()}@example.com`)));
      const refreshed = await Promise.all(sessions.map((session) => auth.refresh(session.refreshToken)));
      expect(refreshed.map((session) => session.user.id)).toEqual(sessions.map((session) => session.user.id));
    });
  });

  describe('signOut', () => {
    it('signs out with an expired access token by refreshing first', async () => {
      const email = `expired-${Date.now()}@example.com`;
      const session = await signIn(email);
      const stale = await fake.signAccessToken({ sub: session.user.id, session_id: session.user.sessionId, exp: now() - 60 });
      await auth.signOut({ accessToken: stale, refreshToken: session.refreshToken });
      await expectSwitchyardError(auth.refresh(session.refreshToken), 'UNAUTHENTICATED');
    });

    it('keeps other sessions with scope others', async () => {
      const email = `others-${Date.now()}@example.com`;
      const first = await signIn(email);
      const second = await signIn(email);
      await auth.signOut(first, { scope: 'others' });
      await expectSwitchyardError(auth.refresh(second.refreshToken), 'UNAUTHENTICATED');
      expect((await auth.refresh(first.refreshToken)).user.id).toBe(first.user.id);
    });
  });

  describe('admin.listUsers', () => {
    it('pages past page 9, where auth-js misreads the Link header', async () => {
      for (let i = 0; i < 25; i++) await auth.admin.createUser({ email: `page-${i}-${Date.now()}@example.com` });
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await auth.admin.listUsers({ limit: 2, ...(cursor ? { cursor } : {}) });
        ids.push(...page.users.map((user) => user.id));
        cursor = page.cursor;
      } while (cursor);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(25);
    });
  });
});
