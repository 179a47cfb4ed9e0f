import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, cookieHeader, cookiesOf, signIn } from './support/http.js';
import { startTestApp, type TestApp } from './support/server.js';

describe('community-app sign-in', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('sets the session in HttpOnly, SameSite=Lax cookies after the emailed code', async () => {
    await call(app.url, '/auth/sign-in', { json: { email: 'Carol@Example.com' } });
    const mail = app.mailbox.last('carol@example.com');
    const res = await call(app.url, '/auth/verify', { json: { email: 'carol@example.com', code: mail?.code } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { email: 'carol@example.com', provider: 'local' } });
    const lines = res.headers.getSetCookie();
    for (const name of ['sy_access', 'sy_refresh']) {
      const line = lines.find((l) => l.startsWith(`${name}=`));
      expect(line).toMatch(/; HttpOnly/);
      expect(line).toMatch(/; SameSite=Lax/);
    }
  });

  it('accepts the link token from API clients as {tokenHash}', async () => {
    await call(app.url, '/auth/sign-in', { json: { email: 'dan@example.com' } });
    const link = new URL(app.mailbox.last('dan@example.com')?.link ?? '');
    expect(link.origin + link.pathname).toBe(`${app.url}/auth/callback`);
    const res = await call(app.url, '/auth/verify', { json: { tokenHash: link.searchParams.get('token_hash') } });
    expect(res.status).toBe(200);
    const me = await call(app.url, '/me', { cookie: cookieHeader(cookiesOf(res)) });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe('dan@example.com');
  });

  it('refuses a wrong code with 401 and the reason', async () => {
    await call(app.url, '/auth/sign-in', { json: { email: 'erin@example.com' } });
    const code = app.mailbox.last('erin@example.com')?.code === '000000' ? '111111' : '000000';
    const res = await call(app.url, '/auth/verify', { json: { email: 'erin@example.com', code } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', reason: 'invalid' } });
  });

  it('answers 401 JSON to API requests without a valid token, and accepts a Bearer token', async () => {
    for (const path of ['/me', '/photos', '/members', '/matches', '/conversations', '/hobbies']) {
      const res = await call(app.url, path);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
    const forged = await call(app.url, '/me', { headers: { authorization: 'Bearer not.a.token' } });
    expect(await forged.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', reason: 'invalid' } });
    const alice = await signIn(app.url, app.mailbox, 'alice@example.com');
    const bearer = await call(app.url, '/me', { headers: { authorization: `Bearer ${alice.accessToken}` } });
    expect(bearer.status).toBe(200);
  });

  it('refreshes the session from sy_refresh when the access cookie is gone', async () => {
    const client = await signIn(app.url, app.mailbox, 'fay@example.com');
    const res = await call(app.url, '/me', { cookie: cookieHeader({ sy_refresh: client.refreshToken }) });
    expect(res.status).toBe(200);
    expect(cookiesOf(res).sy_access).toBeTruthy();
  });

  it('signs out: clears the cookies and the old tokens stop working', async () => {
    const client = await signIn(app.url, app.mailbox, 'gus@example.com');
    const res = await call(app.url, '/auth/sign-out', { method: 'POST', cookie: client.cookie });
    expect(res.status).toBe(204);
    expect(cookiesOf(res)).toEqual({ sy_access: '', sy_refresh: '' });
    expect((await call(app.url, '/me', { cookie: client.cookie })).status).toBe(401);
  });

  it('serves the page, its stylesheet and scripts, with a content security policy on the page', async () => {
    const page = await call(app.url, '/');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toContain('<link rel="stylesheet" href="/app.css">');
    for (const path of ['/app.css', '/forms.css', '/people.css', '/chat.css', '/js/app.js', '/js/chat.js'])
      expect((await call(app.url, path)).status, path).toBe(200);
    expect((await call(app.url, '/nowhere')).status).toBe(404);
  });

  it('logged no server errors', () => {
    expect(app.errors).toEqual([]);
  });
});
