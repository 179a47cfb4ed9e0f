import { describe, expect, it } from 'vitest';
import { itWhen } from '../capability.js';
import { expectSwitchyardError } from '../expect-error.js';
import { type AuthSuiteContext, freshEmail, refusal, wrongCode } from './context.js';

export function signInCases(ctx: AuthSuiteContext): void {
  const emailCode = () => ({ declared: ctx.port().capabilities.emailCode, label: 'emailCode' });
  const magicLink = () => ({ declared: ctx.port().capabilities.magicLink, label: 'magicLink' });

  async function codeFor(email: string): Promise<string> {
    await ctx.port().sendSignInEmail(email);
    const code = (await ctx.harness().lastSignInEmail(email))?.code;
    expect(code, 'the sign-in email carried no code').toMatch(/^\d{6,8}$/);
    return code!;
  }

  async function linkTokenFor(email: string): Promise<string> {
    await ctx.port().sendSignInEmail(email);
    const mail = await ctx.harness().lastSignInEmail(email);
    expect(mail?.tokenHash, 'the sign-in email carried no link token').toBeTruthy();
    return mail!.tokenHash!;
  }

  describe('sendSignInEmail and verifySignIn', () => {
    itWhen('signs in with the emailed code', emailCode, async () => {
      const email = freshEmail(ctx);
      const code = await codeFor(email);
      const session = await ctx.port().verifySignIn({ email, code });
      expect(session.accessToken).toBeTruthy();
      expect(session.refreshToken).toBeTruthy();
      expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(session.user.email).toBe(email);
      expect(session.user.emailVerified).toBe(true);
      const verified = await ctx.port().verifyAccessToken(session.accessToken);
      expect(verified.id).toBe(session.user.id);
      expect(verified.email).toBe(email);
    });

    itWhen('signs in with the magic link token', magicLink, async () => {
      const email = freshEmail(ctx);
      const session = await ctx.port().verifySignIn({ tokenHash: await linkTokenFor(email) });
      expect(session.user.email).toBe(email);
      expect((await ctx.port().verifyAccessToken(session.accessToken)).id).toBe(session.user.id);
    });

    itWhen('refuses a wrong code as invalid', emailCode, async () => {
      const email = freshEmail(ctx);
      const code = await codeFor(email);
      await expectSwitchyardError(ctx.port().verifySignIn({ email, code: wrongCode(code) }), 'UNAUTHENTICATED', 'invalid');
    });

    itWhen('refuses a reused code as revoked (invalid where reasons are not distinct)', emailCode, async () => {
      const email = freshEmail(ctx);
      const code = await codeFor(email);
      await ctx.port().verifySignIn({ email, code });
      await expectSwitchyardError(ctx.port().verifySignIn({ email, code }), 'UNAUTHENTICATED', refusal(ctx, 'revoked'));
    });

    itWhen('refuses an expired code as expired (invalid where reasons are not distinct)', emailCode, async () => {
      const email = freshEmail(ctx);
      const code = await codeFor(email);
      await ctx.harness().expireSignIn(email);
      await expectSwitchyardError(ctx.port().verifySignIn({ email, code }), 'UNAUTHENTICATED', refusal(ctx, 'expired'));
    });

    itWhen('refuses a wrong, reused or expired link token', magicLink, async () => {
      await expectSwitchyardError(ctx.port().verifySignIn({ tokenHash: 'not-a-real-token-hash' }), 'UNAUTHENTICATED', 'invalid');
      const email = freshEmail(ctx);
      const token = await linkTokenFor(email);
      await ctx.port().verifySignIn({ tokenHash: token });
      await expectSwitchyardError(ctx.port().verifySignIn({ tokenHash: token }), 'UNAUTHENTICATED', refusal(ctx, 'revoked'));
      const late = freshEmail(ctx);
      const lateToken = await linkTokenFor(late);
      await ctx.harness().expireSignIn(late);
      await expectSwitchyardError(ctx.port().verifySignIn({ tokenHash: lateToken }), 'UNAUTHENTICATED', refusal(ctx, 'expired'));
    });

    it('refuses a malformed address with INVALID_INPUT', async () => {
      await expectSwitchyardError(ctx.port().sendSignInEmail('not-an-email'), 'INVALID_INPUT');
    });

    it('refuses an unknown address with NOT_FOUND when createUser is false', async () => {
      await expectSwitchyardError(ctx.port().sendSignInEmail(freshEmail(ctx), { createUser: false }), 'NOT_FOUND');
    });
  });
}
