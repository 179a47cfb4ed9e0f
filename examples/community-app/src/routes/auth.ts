import { type AuthUser, type Session, SwitchyardError } from '@switchyard/core';
import { fail, readJson, sendJson, stringField } from '../http.js';
import type { RequestContext, Route } from '../router.js';
import { clearSessionCookies, sessionTokens, setSessionCookies } from '../session.js';

/** What the browser may know about the signed-in user. */
export function publicUser(user: AuthUser): { id: string; email: string; provider: string } {
  return { id: user.id, email: user.email, provider: user.provider };
}

function startSession(ctx: RequestContext, session: Session): void {
  setSessionCookies(ctx, session);
  sendJson(ctx.res, 200, { user: publicUser(session.user) });
}

/** Sends the magic link and code; the answer is the same whether or not the address had an account. */
async function signIn(ctx: RequestContext): Promise<void> {
  const body = await readJson(ctx.req);
  const email = stringField(body, 'email', 254);
  await ctx.app.auth.sendSignInEmail(email, { redirectTo: `${ctx.app.origin}/auth/callback` });
  sendJson(ctx.res, 202, { sent: true });
}

/** The magic link lands here. A browser is sent home signed in; an API client gets `{user}`. */
async function callback(ctx: RequestContext): Promise<void> {
  const tokenHash = ctx.url.searchParams.get('token_hash');
  if (!tokenHash) throw fail('INVALID_INPUT', 'The sign-in link has no token_hash; open the link from the email unchanged.');
  const session = await ctx.app.auth.verifySignIn({ tokenHash });
  if (/\btext\/html\b/.test(ctx.req.headers.accept ?? '')) {
    setSessionCookies(ctx, session);
    ctx.res.writeHead(303, { location: '/' });
    ctx.res.end();
    return;
  }
  startSession(ctx, session);
}

async function verify(ctx: RequestContext): Promise<void> {
  const body = await readJson(ctx.req);
  const email = stringField(body, 'email', 254);
  const code = stringField(body, 'code', 64);
  startSession(ctx, await ctx.app.auth.verifySignIn({ email, code }));
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
  ctx.res.writeHead(204);
  ctx.res.end();
}

export const authRoutes: Route[] = [
  { method: 'POST', path: '/auth/sign-in', handler: signIn },
  { method: 'GET', path: '/auth/callback', handler: callback },
  { method: 'POST', path: '/auth/verify', handler: verify },
  { method: 'POST', path: '/auth/sign-out', handler: signOut },
];
