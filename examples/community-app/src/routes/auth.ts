import { type AuthUser, type Session, type SignInProof, SwitchyardError } from '@switchyard/core';
import { readJson, sendJson, sendNoContent, stringField } from '../http.js';
import type { RequestContext, Route } from '../router.js';
import { clearSessionCookies, sessionTokens, setSessionCookies } from '../session.js';

/** What the browser may know about the signed-in user. */
export function publicUser(user: AuthUser): { id: string; email: string; provider: string } {
  return { id: user.id, email: user.email, provider: user.provider };
}

/** Where the emailed link lands: a page that asks for one click before the link is used (see magic-link.ts). */
export function callbackUrl(ctx: RequestContext): string {
  return `${ctx.app.origin}/auth/callback`;
}

/** Sends the magic link and code; the answer is the same whether or not the address had an account. */
async function signIn(ctx: RequestContext): Promise<void> {
  const email = stringField(await readJson(ctx.req), 'email', 254);
  await ctx.app.auth.sendSignInEmail(email, { redirectTo: callbackUrl(ctx) });
  sendJson(ctx.res, 202, { sent: true });
}

/** `{email, code}` from the email, or `{tokenHash}` from the link (for API clients; browsers use the link's page). */
async function verify(ctx: RequestContext): Promise<void> {
  const body = await readJson(ctx.req);
  const proof: SignInProof =
    body.tokenHash !== undefined
      ? { tokenHash: stringField(body, 'tokenHash', 512) }
      : { email: stringField(body, 'email', 254), code: stringField(body, 'code', 64) };
  const session: Session = await ctx.app.auth.verifySignIn(proof);
  setSessionCookies(ctx, session);
  sendJson(ctx.res, 200, { user: publicUser(session.user) });
}

/** Ends the session at the provider when both tokens are at hand, and always clears the cookies. */
async function signOut(ctx: RequestContext): Promise<void> {
  const { accessToken, refreshToken } = sessionTokens(ctx);
  if (accessToken && refreshToken) {
    try {
      await ctx.app.auth.signOut({ accessToken, refreshToken });
    } catch (error) {
      // Signing out a session that already ended is not a failure.
      if (!SwitchyardError.hasCode(error, 'UNAUTHENTICATED')) throw error;
    }
  }
  clearSessionCookies(ctx);
  sendNoContent(ctx.res);
}

export const authRoutes: Route[] = [
  { method: 'POST', path: '/auth/sign-in', handler: signIn },
  { method: 'POST', path: '/auth/verify', handler: verify },
  { method: 'POST', path: '/auth/sign-out', handler: signOut },
];
