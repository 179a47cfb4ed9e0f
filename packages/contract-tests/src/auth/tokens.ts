import { describe, expect, it } from 'vitest';
import { itWhen } from '../capability.js';
import { expectSwitchyardError } from '../expect-error.js';
import { type AuthSuiteContext, freshEmail, refusal, signIn } from './context.js';

function base64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

function decodePart(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8'));
}

const now = () => Math.floor(Date.now() / 1000);

export function tokenCases(ctx: AuthSuiteContext): void {
  describe('verifyAccessToken', () => {
    it('accepts a token the harness signs with the real key (so the refusals below are meaningful)', async () => {
      const session = await signIn(ctx, freshEmail(ctx));
      const token = await ctx.harness().signAccessToken(session.user.id, {});
      expect((await ctx.port().verifyAccessToken(token)).id).toBe(session.user.id);
    });

    it('refuses a token whose payload was tampered with', async () => {
      const session = await signIn(ctx, freshEmail(ctx));
      const [header, payload, signature] = session.accessToken.split('.');
      const claims = decodePart(session.accessToken, 1);
      const forged = `${header}.${base64url(JSON.stringify({ ...claims, sub: crypto.randomUUID() }))}.${signature}`;
      expect(payload).not.toBe(forged.split('.')[1]);
      await expectSwitchyardError(ctx.port().verifyAccessToken(forged), 'UNAUTHENTICATED', 'invalid');
    });

    it('refuses an expired token as expired', async () => {
      const session = await signIn(ctx, freshEmail(ctx));
      const token = await ctx.harness().signAccessToken(session.user.id, { iat: now() - 7200, exp: now() - 3600 });
      await expectSwitchyardError(ctx.port().verifyAccessToken(token), 'UNAUTHENTICATED', 'expired');
    });

    it('refuses alg: none', async () => {
      const session = await signIn(ctx, freshEmail(ctx));
      const claims = decodePart(session.accessToken, 1);
      const unsigned = `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`;
      await expectSwitchyardError(ctx.port().verifyAccessToken(unsigned), 'UNAUTHENTICATED', 'invalid');
    });

    it('refuses a wrong audience and a wrong issuer', async () => {
      const session = await signIn(ctx, freshEmail(ctx));
      const wrongAud = await ctx.harness().signAccessToken(session.user.id, { aud: 'someone-else' });
      await expectSwitchyardError(ctx.port().verifyAccessToken(wrongAud), 'UNAUTHENTICATED', 'invalid');
      const wrongIss = await ctx.harness().signAccessToken(session.user.id, { iss: 'https://evil.example.com/auth' });
      await expectSwitchyardError(ctx.port().verifyAccessToken(wrongIss), 'UNAUTHENTICATED', 'invalid');
    });

    it('refuses garbage and an empty token', async () => {
      await expectSwitchyardError(ctx.port().verifyAccessToken('not.a.jwt'), 'UNAUTHENTICATED', 'invalid');
      await expectSwitchyardError(ctx.port().verifyAccessToken(''), 'UNAUTHENTICATED', 'invalid');
    });
  });

  describe('refresh and signOut', () => {
    it('refresh returns a session for the same user whose access token verifies', async () => {
      const first = await signIn(ctx, freshEmail(ctx));
      const next = await ctx.port().refresh(first.refreshToken);
      expect(next.user.id).toBe(first.user.id);
      expect((await ctx.port().verifyAccessToken(next.accessToken)).id).toBe(first.user.id);
    });

    itWhen(
      'refresh rotates the refresh token and refuses the old one as revoked',
      () => ({ declared: ctx.port().capabilities.refreshTokenRotation, label: 'refreshTokenRotation' }),
      async () => {
        const first = await signIn(ctx, freshEmail(ctx));
        const next = await ctx.port().refresh(first.refreshToken);
        expect(next.refreshToken).not.toBe(first.refreshToken);
        await expectSwitchyardError(ctx.port().refresh(first.refreshToken), 'UNAUTHENTICATED', 'revoked');
      },
    );

    it('refuses an unknown refresh token as invalid', async () => {
      await expectSwitchyardError(ctx.port().refresh('definitely-not-a-refresh-token'), 'UNAUTHENTICATED', 'invalid');
    });

    it('signOut revokes the session: its refresh token stops working', async () => {
      const session = await signIn(ctx, freshEmail(ctx));
      await ctx.port().signOut(session);
      await expectSwitchyardError(ctx.port().refresh(session.refreshToken), 'UNAUTHENTICATED', refusal(ctx, 'revoked'));
    });

    itWhen(
      'signOut makes the access token fail verification at once',
      () => ({ declared: ctx.port().capabilities.immediateRevocation, label: 'immediateRevocation' }),
      async () => {
        const session = await signIn(ctx, freshEmail(ctx));
        await ctx.port().signOut(session);
        await expectSwitchyardError(ctx.port().verifyAccessToken(session.accessToken), 'UNAUTHENTICATED', 'revoked');
      },
    );

    itWhen(
      'global signOut ends every session of the user',
      () => ({ declared: ctx.port().capabilities.globalSignOut, label: 'globalSignOut' }),
      async () => {
        const email = freshEmail(ctx);
        const first = await signIn(ctx, email);
        const other = await signIn(ctx, email);
        const unrelated = await signIn(ctx, freshEmail(ctx));
        await ctx.port().signOut(first, { scope: 'global' });
        await expectSwitchyardError(ctx.port().refresh(first.refreshToken), 'UNAUTHENTICATED', refusal(ctx, 'revoked'));
        await expectSwitchyardError(ctx.port().refresh(other.refreshToken), 'UNAUTHENTICATED', refusal(ctx, 'revoked'));
        expect((await ctx.port().refresh(unrelated.refreshToken)).user.id).toBe(unrelated.user.id);
      },
    );
  });
}
