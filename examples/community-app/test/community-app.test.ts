import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalPubSub } from '@switchyard/local';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevMailbox } from '../src/providers.js';
import { type RunningServer, startServer } from '../src/server.js';
import { type Client, call, cookieHeader, cookiesOf, eventReader, PNG, signIn } from './helpers.js';

interface Photo {
  name: string;
  size: number;
  url: string;
}

describe('community-app over HTTP', () => {
  let dataDir: string;
  let server: RunningServer;
  let url: string;
  let mailbox: DevMailbox;
  const serverErrors: unknown[] = [];
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'community-app-'));
    // env {}: the embedded defaults, whatever SWITCHYARD_* variables the shell running the tests has.
    server = await startServer({ port: 0, dataDir, env: {}, log: (message, error) => serverErrors.push({ message, error }) });
    url = server.url;
    if (!server.mailbox) throw new Error('the embedded auth should expose its dev mailbox');
    mailbox = server.mailbox;
    alice = await signIn(url, mailbox, 'alice@example.com');
    bob = await signIn(url, mailbox, 'bob@example.com');
  });

  afterAll(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  describe('sign-in', () => {
    it('sets the session in HttpOnly, SameSite=Lax cookies after the emailed code', async () => {
      await call(url, '/auth/sign-in', { json: { email: 'Carol@Example.com' } });
      const mail = mailbox.last('carol@example.com');
      const res = await call(url, '/auth/verify', { json: { email: 'carol@example.com', code: mail?.code } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ user: { email: 'carol@example.com', provider: 'local' } });
      const lines = res.headers.getSetCookie();
      for (const name of ['sy_access', 'sy_refresh']) {
        const line = lines.find((l) => l.startsWith(`${name}=`));
        expect(line).toMatch(/; HttpOnly/);
        expect(line).toMatch(/; SameSite=Lax/);
      }
    });

    it('signs in through the magic link, which points back at this server', async () => {
      await call(url, '/auth/sign-in', { json: { email: 'dan@example.com' } });
      const link = new URL(mailbox.last('dan@example.com')?.link ?? '');
      expect(link.origin + link.pathname).toBe(`${url}/auth/callback`);
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ user: { email: 'dan@example.com' } });
      const me = await call(url, '/me', { cookie: cookieHeader(cookiesOf(res)) });
      expect(((await me.json()) as { user: { email: string } }).user.email).toBe('dan@example.com');
    });

    it('refuses a wrong code with 401 and the reason', async () => {
      await call(url, '/auth/sign-in', { json: { email: 'erin@example.com' } });
      const code = mailbox.last('erin@example.com')?.code === '000000' ? '111111' : '000000';
      const res = await call(url, '/auth/verify', { json: { email: 'erin@example.com', code } });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', reason: 'invalid' } });
    });

    it('answers 401 JSON to requests without a valid token, and accepts a Bearer token', async () => {
      for (const path of ['/me', '/photos', '/chat/lobby/messages', '/chat/lobby/stream']) {
        const res = await call(url, path);
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      }
      const forged = await call(url, '/me', { headers: { authorization: 'Bearer not.a.token' } });
      expect(await forged.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', reason: 'invalid' } });
      const bearer = await call(url, '/me', { headers: { authorization: `Bearer ${alice.accessToken}` } });
      expect(bearer.status).toBe(200);
    });

    it('refreshes the session from sy_refresh when the access cookie is gone', async () => {
      const client = await signIn(url, mailbox, 'fay@example.com');
      const res = await call(url, '/me', { cookie: cookieHeader({ sy_refresh: client.refreshToken }) });
      expect(res.status).toBe(200);
      expect(cookiesOf(res).sy_access).toBeTruthy();
    });

    it('signs out: clears the cookies and the old tokens stop working', async () => {
      const client = await signIn(url, mailbox, 'gus@example.com');
      const res = await call(url, '/auth/sign-out', { method: 'POST', cookie: client.cookie });
      expect(res.status).toBe(204);
      expect(cookiesOf(res)).toEqual({ sy_access: '', sy_refresh: '' });
      expect((await call(url, '/me', { cookie: client.cookie })).status).toBe(401);
    });
  });

  describe('profiles', () => {
    it('saves and reads back the profile, and each user sees only their own row', async () => {
      const saved = await call(url, '/me', {
        method: 'PUT',
        cookie: alice.cookie,
        json: { displayName: 'Alice', hobbies: ['chess', 'Go', 'chess'] },
      });
      expect(saved.status).toBe(200);
      const mine = await (await call(url, '/me', { cookie: alice.cookie })).json();
      expect(mine).toEqual({
        user: { id: alice.id, email: alice.email, provider: 'local' },
        profile: { displayName: 'Alice', hobbies: ['chess', 'Go'] },
      });

      const bobs = await (await call(url, '/me', { cookie: bob.cookie })).json();
      expect(bobs).toMatchObject({ user: { id: bob.id, email: bob.email }, profile: { displayName: null, hobbies: [] } });
      await call(url, '/me', { method: 'PUT', cookie: bob.cookie, json: { displayName: 'Bob', hobbies: ['climbing'] } });
      expect(await (await call(url, '/me', { cookie: bob.cookie })).json()).toMatchObject({ profile: { displayName: 'Bob' } });
      expect(await (await call(url, '/me', { cookie: alice.cookie })).json()).toMatchObject({ profile: { displayName: 'Alice' } });
    });

    it('refuses bad input with 400 and never a stack trace', async () => {
      const bad = await call(url, '/me', { method: 'PUT', cookie: alice.cookie, json: { hobbies: 'chess' } });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
      const notJson = await call(url, '/me', { method: 'PUT', cookie: alice.cookie, headers: { 'content-type': 'application/json' } });
      expect(notJson.status).toBe(400);
      const huge = await call(url, '/me', { method: 'PUT', cookie: alice.cookie, json: { displayName: 'x'.repeat(20_000) } });
      expect(huge.status).toBe(400);
      const text = JSON.stringify(await huge.json());
      expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
      expect((await call(url, '/nowhere')).status).toBe(404);
    });
  });

  describe('photos', () => {
    async function photosOf(client: Client): Promise<Photo[]> {
      const res = await call(url, '/photos', { cookie: client.cookie });
      expect(res.status).toBe(200);
      return ((await res.json()) as { photos: Photo[] }).photos;
    }

    async function upload(client: Client): Promise<string> {
      const res = await call(url, '/photos/upload-url', {
        cookie: client.cookie,
        json: { contentType: 'image/png', size: PNG.byteLength },
      });
      expect(res.status).toBe(200);
      const { name, upload } = (await res.json()) as {
        name: string;
        upload: { url: string; method: string; headers: Record<string, string> };
      };
      const put = await fetch(upload.url, {
        method: upload.method,
        headers: { ...upload.headers, 'content-type': 'image/png' },
        body: PNG,
      });
      expect(put.status).toBe(200);
      return name;
    }

    it('uploads through the signed URL and lists the photo with a working download URL', async () => {
      const name = await upload(alice);
      const photo = (await photosOf(alice)).find((p) => p.name === name);
      expect(photo).toMatchObject({ name, size: PNG.byteLength });
      const download = await fetch(photo?.url ?? '');
      expect(download.status).toBe(200);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
      expect(await photosOf(bob)).toEqual([]);
    });

    it('accepts only JPEG, PNG and WebP up to 5 MiB', async () => {
      for (const body of [
        { contentType: 'image/gif', size: 10 },
        { contentType: 'text/html', size: 10 },
        { contentType: 'image/png', size: 6 * 1024 * 1024 },
      ]) {
        const res = await call(url, '/photos/upload-url', { cookie: alice.cookie, json: body });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
      }
    });

    it('deletes only the caller’s own photo', async () => {
      const name = await upload(alice);
      const byBob = await call(url, `/photos/${name}`, { method: 'DELETE', cookie: bob.cookie });
      expect(byBob.status).toBe(404);
      expect((await call(url, '/photos/..%2F..%2Fx', { method: 'DELETE', cookie: bob.cookie })).status).toBe(404);
      const photo = (await photosOf(alice)).find((p) => p.name === name);
      expect(photo).toBeDefined();

      expect((await call(url, `/photos/${name}`, { method: 'DELETE', cookie: alice.cookie })).status).toBe(204);
      expect((await photosOf(alice)).map((p) => p.name)).not.toContain(name);
      expect((await fetch(photo?.url ?? '')).status).toBe(404);
    });
  });

  describe('chat', () => {
    it('relays a posted message on the event stream with the id stored in the history', async () => {
      const pubsub = server.pubsub as LocalPubSub;
      const listenersBefore = pubsub.openListeners();
      const stream = await call(url, '/chat/lobby/stream', { cookie: alice.cookie, headers: { accept: 'text/event-stream' } });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = eventReader(stream.body as ReadableStream<Uint8Array>);

      const posted = await call(url, '/chat/lobby/messages', { cookie: bob.cookie, json: { text: 'hello from bob' } });
      expect(posted.status).toBe(201);
      const { message } = (await posted.json()) as { message: { id: string } };
      const event = await events.until((e) => e.event === 'message');
      expect(event.id).toBe(message.id);
      expect(JSON.parse(event.data ?? '')).toEqual({
        id: message.id,
        author: bob.id,
        text: 'hello from bob',
        createdAt: expect.any(String),
      });

      const history = (await (await call(url, '/chat/lobby/messages', { cookie: alice.cookie })).json()) as { messages: { id: string }[] };
      expect(history.messages.at(-1)).toEqual(JSON.parse(event.data ?? ''));

      await events.cancel();
      await vi.waitFor(() => expect(pubsub.openListeners()).toBe(listenersBefore));
    });

    it('keeps the last 50 messages of a room in order, and refuses a bad room name', async () => {
      for (const text of ['one', 'two', 'three']) await call(url, '/chat/quiet-room/messages', { cookie: alice.cookie, json: { text } });
      const res = await call(url, '/chat/quiet-room/messages', { cookie: bob.cookie });
      expect(((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(['one', 'two', 'three']);
      expect((await call(url, '/chat/Not%20A%20Room/messages', { cookie: bob.cookie })).status).toBe(400);
    });
  });

  it('logged no server errors', () => {
    expect(serverErrors).toEqual([]);
  });
});
