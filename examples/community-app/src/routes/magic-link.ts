import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SwitchyardError } from '@switchyard/core';
import { appendCookies, escapeHtml, parseCookies, readForm, sendHtml, serializeCookie } from '../http.js';
import type { RequestContext, Route } from '../router.js';
import { setSessionCookies } from '../session.js';
import { renderPage } from '../web/layout.js';
import { callbackUrl } from './auth.js';

/**
 * Double-submit token for the forms below. SameSite=Strict: a form posted from another site
 * arrives without it, so nobody can sign a visitor into an account of theirs (login CSRF) or send
 * sign-in emails in their name.
 */
const FORM_COOKIE = 'sy_form';
const FORM_COOKIE_SECONDS = 30 * 60;

function formToken(ctx: RequestContext): string {
  const existing = parseCookies(ctx.req)[FORM_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  appendCookies(ctx.res, [
    serializeCookie(FORM_COOKIE, token, { maxAge: FORM_COOKIE_SECONDS, secure: ctx.app.secureCookies, sameSite: 'Strict' }),
  ]);
  return token;
}

function formTokenMatches(ctx: RequestContext, form: URLSearchParams): boolean {
  const cookie = Buffer.from(parseCookies(ctx.req)[FORM_COOKIE] ?? '');
  const field = Buffer.from(form.get('form_token') ?? '');
  return cookie.length === 43 && field.length === cookie.length && timingSafeEqual(cookie, field);
}

function requestLinkForm(token: string, email = ''): string {
  return `<form method="post" action="/auth/email" class="stack">
  <input type="hidden" name="form_token" value="${escapeHtml(token)}">
  <label>Email<input type="email" name="email" value="${escapeHtml(email)}" autocomplete="email" required></label>
  <button class="primary" type="submit">Email me a new link</button>
</form>`;
}

const REFUSALS: Record<string, [status: number, title: string, text: string]> = {
  revoked: [410, 'This sign-in link was already used', 'Each link works once. If it was not you who used it, nobody can use it again.'],
  expired: [410, 'This sign-in link has expired', 'Links work for a few minutes after they are sent.'],
  invalid: [400, 'This sign-in link is not valid', 'It may have been cut short by your email program, or a newer email replaced it.'],
};

function refusedPage(ctx: RequestContext, reason: string): void {
  const [status, title, text] = REFUSALS[reason] ?? REFUSALS.invalid!;
  sendHtml(ctx.res, status, renderPage(title, `<h1>${title}</h1><p>${text}</p><p>Get a new one:</p>${requestLinkForm(formToken(ctx))}`));
}

/**
 * The emailed link lands here, and does NOT sign in: mail scanners and link previews open links
 * before people do, and would use up a single-use link. The page asks for one click, a POST that
 * scanners do not make.
 */
async function confirmPage(ctx: RequestContext): Promise<void> {
  const tokenHash = ctx.url.searchParams.get('token_hash');
  if (!tokenHash) return refusedPage(ctx, 'invalid');
  const body = `<h1>Finish signing in</h1>
<p>You opened a sign-in link from your email. Continue to sign in on this device.</p>
<form method="post" action="/auth/callback" class="stack">
  <input type="hidden" name="token_hash" value="${escapeHtml(tokenHash)}">
  <input type="hidden" name="form_token" value="${escapeHtml(formToken(ctx))}">
  <button class="primary" id="confirm-sign-in" type="submit">Sign in</button>
</form>`;
  sendHtml(ctx.res, 200, renderPage('Finish signing in', body), { 'referrer-policy': 'no-referrer' });
}

async function confirm(ctx: RequestContext): Promise<void> {
  const form = await readForm(ctx.req);
  if (!formTokenMatches(ctx, form)) {
    const body = `<h1>Open the link again</h1><p>This page was open too long, or it was not sent from this site. Open the link from your email once more.</p>`;
    return sendHtml(ctx.res, 403, renderPage('Open the link again', body));
  }
  try {
    const session = await ctx.app.auth.verifySignIn({ tokenHash: form.get('token_hash') ?? '' });
    setSessionCookies(ctx, session);
  } catch (error) {
    if (!SwitchyardError.hasCode(error, 'UNAUTHENTICATED')) throw error;
    return refusedPage(ctx, error.reason ?? 'invalid');
  }
  ctx.res.writeHead(303, { location: '/' });
  ctx.res.end();
}

/** "Email me a new link" from the pages above. */
async function requestLink(ctx: RequestContext): Promise<void> {
  const form = await readForm(ctx.req);
  const token = formToken(ctx);
  const email = (form.get('email') ?? '').trim();
  if (!formTokenMatches(ctx, form))
    return sendHtml(ctx.res, 403, renderPage('Try again', `<h1>Try again</h1>${requestLinkForm(token, email)}`));
  try {
    await ctx.app.auth.sendSignInEmail(email, { redirectTo: callbackUrl(ctx) });
  } catch (error) {
    if (!SwitchyardError.hasCode(error, 'INVALID_INPUT') && !SwitchyardError.hasCode(error, 'RATE_LIMITED')) throw error;
    const body = `<h1>No email sent</h1><p class="error">${escapeHtml(error.message)}</p>${requestLinkForm(token, email)}`;
    return sendHtml(ctx.res, error.code === 'RATE_LIMITED' ? 429 : 400, renderPage('No email sent', body));
  }
  const body = `<h1>Check your email</h1><p>We sent a new sign-in link and code to <strong>${escapeHtml(email)}</strong>.</p><p><a href="/">Enter the code instead</a></p>`;
  sendHtml(ctx.res, 200, renderPage('Check your email', body));
}

export const magicLinkRoutes: Route[] = [
  { method: 'GET', path: '/auth/callback', handler: confirmPage },
  { method: 'POST', path: '/auth/callback', handler: confirm },
  { method: 'POST', path: '/auth/email', handler: requestLink },
];
