import type { LocalAuthPort } from '@switchyard/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, cookieHeader, cookiesOf } from './support/http.js';
import { startTestApp, type TestApp } from './support/server.js';

/** What a browser does with the emailed link: open it, then press the page's button. */
async function openLink(app: TestApp, email: string) {
  const link = app.mailbox.last(email)?.link ?? '';
  const page = await fetch(link, { headers: { accept: 'text/html' } });
  const html = await page.text();
  const formCookie = cookiesOf(page).sy_form ?? '';
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  const confirm = (cookie = formCookie) =>
    call(app.url, '/auth/callback', {
      method: 'POST',
      cookie: cookieHeader({ sy_form: cookie }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token_hash: field('token_hash'), form_token: field('form_token') }).toString(),
    });
  return { page, html, confirm };
}

describe('community-app magic link', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('opening the link (as a mail scanner does) does not use it; the page’s button does', async () => {
    await call(app.url, '/auth/sign-in', { json: { email: 'scan@example.com' } });
    const scanned = await openLink(app, 'scan@example.com');
    expect(scanned.page.status).toBe(200);
    expect(scanned.page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(scanned.html).toContain('Finish signing in');
    expect(cookiesOf(scanned.page).sy_access).toBeUndefined();

    const opened = await openLink(app, 'scan@example.com');
    const confirmed = await opened.confirm();
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/');
    const me = await call(app.url, '/me', { cookie: cookieHeader(cookiesOf(confirmed)) });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe('scan@example.com');
  });

  it('a used link shows a page, not JSON, with a form for a new link that works', async () => {
    await call(app.url, '/auth/sign-in', { json: { email: 'twice@example.com' } });
    const opened = await openLink(app, 'twice@example.com');
    expect((await opened.confirm()).status).toBe(303);
    const again = await opened.confirm();
    expect(again.status).toBe(410);
    expect(again.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await again.text();
    expect(html).toContain('already used');
    expect(html).toContain('action="/auth/email"');

    const formToken = /name="form_token" value="([^"]*)"/.exec(html)?.[1] ?? '';
    const before = app.mailbox.last('fresh@example.com');
    const requested = await call(app.url, '/auth/email', {
      method: 'POST',
      cookie: cookieHeader({ sy_form: formToken }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'fresh@example.com', form_token: formToken }).toString(),
    });
    expect(requested.status).toBe(200);
    expect(await requested.text()).toContain('Check your email');
    expect(app.mailbox.last('fresh@example.com')).not.toBe(before);
  });

  it('an expired link says so, with the same way to get a new one', async () => {
    await call(app.url, '/auth/sign-in', { json: { email: 'late@example.com' } });
    (app.server.auth as LocalAuthPort).expirePendingSignIn('late@example.com');
    const res = await (await openLink(app, 'late@example.com')).confirm();
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('has expired');
    expect(html).toContain('Email me a new link');
  });

  it('refuses a confirmation posted from another site (no form cookie), without using the link', async () => {
    await call(app.url, '/auth/sign-in', { json: { email: 'csrf@example.com' } });
    const opened = await openLink(app, 'csrf@example.com');
    const forged = await opened.confirm('');
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Open the link again');
    expect((await opened.confirm()).status).toBe(303);
  });

  it('a link without its token shows the page for a new one', async () => {
    const res = await fetch(`${app.url}/auth/callback`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not valid');
  });

  it('logged no server errors', () => {
    expect(app.errors).toEqual([]);
  });
});
