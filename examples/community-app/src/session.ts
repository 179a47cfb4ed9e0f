import type { IncomingMessage } from 'node:http';
import { type AuthUser, type Session, SwitchyardError } from '@switchyard/core';
import { appendCookies, parseCookies, serializeCookie } from './http.js';
import type { App, RequestContext } from './router.js';

export const ACCESS_COOKIE = 'sy_access';
export const REFRESH_COOKIE = 'sy_refresh';
/**
 * The AuthPort says when an access token expires but not when its refresh token does, so the
 * cookie gets a fixed lifetime and the provider stays the judge of whether the token still works.
 */
const REFRESH_COOKIE_SECONDS = 30 * 24 * 3600;

export function setSessionCookies(ctx: RequestContext, session: Session): void {
  const secure = ctx.app.secureCookies;
  const accessSeconds = (session.expiresAt.getTime() - Date.now()) / 1000;
  appendCookies(ctx.res, [
    serializeCookie(ACCESS_COOKIE, session.accessToken, { maxAge: accessSeconds, secure }),
    serializeCookie(REFRESH_COOKIE, session.refreshToken, { maxAge: REFRESH_COOKIE_SECONDS, secure }),
  ]);
}

export function clearSessionCookies(ctx: RequestContext): void {
  const secure = ctx.app.secureCookies;
  appendCookies(ctx.res, [
    serializeCookie(ACCESS_COOKIE, '', { maxAge: 0, secure }),
    serializeCookie(REFRESH_COOKIE, '', { maxAge: 0, secure }),
  ]);
}

function bearerToken(ctx: Pick<RequestContext, 'req'>): string | undefined {
  const header = ctx.req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/**
 * The signed-in user, from `Authorization: Bearer` or the `sy_access` cookie, verified locally by
 * the AuthPort. A browser whose access cookie has expired is refreshed transparently with
 * `sy_refresh`. Throws `UNAUTHENTICATED` (401) otherwise.
 */
export async function authenticate(ctx: RequestContext): Promise<AuthUser> {
  const { auth } = ctx.app;
  const bearer = bearerToken(ctx);
  if (bearer) return auth.verifyAccessToken(bearer);

  const cookies = parseCookies(ctx.req);
  const access = cookies[ACCESS_COOKIE];
  const refresh = cookies[REFRESH_COOKIE];
  if (access) {
    try {
      return await auth.verifyAccessToken(access);
    } catch (error) {
      const expired = SwitchyardError.hasCode(error, 'UNAUTHENTICATED') && error.reason === 'expired';
      if (!expired || !refresh) throw error;
    }
  }
  if (refresh) {
    try {
      const session = await auth.refresh(refresh);
      setSessionCookies(ctx, session);
      return session.user;
    } catch (error) {
      if (SwitchyardError.hasCode(error, 'UNAUTHENTICATED')) clearSessionCookies(ctx);
      throw error;
    }
  }
  throw new SwitchyardError({
    code: 'UNAUTHENTICATED',
    message: 'Sign in first: send the sy_access cookie or an Authorization: Bearer access token.',
  });
}

/** The session tokens the browser holds, for sign-out. */
export function sessionTokens(ctx: RequestContext): { accessToken?: string | undefined; refreshToken?: string | undefined } {
  const cookies = parseCookies(ctx.req);
  return { accessToken: bearerToken(ctx) ?? cookies[ACCESS_COOKIE], refreshToken: cookies[REFRESH_COOKIE] };
}

/**
 * The user opening a WebSocket, from `Authorization: Bearer` or the access cookie. No refresh here:
 * an upgrade has no response to carry new cookies, so the page refreshes over HTTP and reconnects.
 */
export async function socketUser(app: App, req: IncomingMessage): Promise<AuthUser> {
  const token = bearerToken({ req }) ?? parseCookies(req)[ACCESS_COOKIE];
  if (!token) throw new SwitchyardError({ code: 'UNAUTHENTICATED', message: 'Sign in before opening the chat socket.' });
  return app.auth.verifyAccessToken(token);
}
