import { SwitchyardError, sql } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { computeWeekMatches } from '../src/matching/compute-matches.js';
import { weekOf } from '../src/matching/week.js';
import { openChat } from './support/chat-client.js';
import { type Client, call, cookiesOf, saveProfile, signIn } from './support/http.js';
import { phonePhoto } from './support/images.js';
import { startTestApp, type TestApp } from './support/server.js';

describe('community-app account deletion', () => {
  let app: TestApp;
  let zoe: Client;
  let yan: Client;

  async function uploadPhoto(client: Client): Promise<void> {
    const bytes = await phonePhoto(300, 200);
    const res = await call(app.url, '/photos/upload-url', {
      cookie: client.cookie,
      json: { contentType: 'image/jpeg', size: bytes.byteLength },
    });
    const { name, upload } = (await res.json()) as { name: string; upload: { url: string; headers: Record<string, string> } };
    await fetch(upload.url, { method: 'PUT', headers: { ...upload.headers, 'content-type': 'image/jpeg' }, body: bytes });
    expect((await call(app.url, `/photos/${name}/complete`, { method: 'POST', cookie: client.cookie })).status).toBe(200);
  }

  async function count(query: ReturnType<typeof sql>): Promise<number> {
    return (await app.server.db.one<{ n: number }>(query)).n;
  }

  beforeAll(async () => {
    app = await startTestApp();
    zoe = await signIn(app.url, app.mailbox, 'zoe@example.com');
    yan = await signIn(app.url, app.mailbox, 'yan@example.com');
    await saveProfile(app.url, zoe, { displayName: 'Zoe', hobbies: ['tennis'], place: 'Lyon', lat: 45.76, lng: 4.84 });
    await saveProfile(app.url, yan, { displayName: 'Yan', hobbies: ['tennis'], place: 'Lyon', lat: 45.76, lng: 4.84 });
    await uploadPhoto(zoe);
    await computeWeekMatches(app.server.db, { week: weekOf(new Date()) });
    const { matches } = (await (await call(app.url, '/matches', { cookie: zoe.cookie })).json()) as { matches: { id: string }[] };
    for (const client of [zoe, yan]) await call(app.url, `/matches/${matches[0]?.id}/accept`, { method: 'POST', cookie: client.cookie });
    const { conversations } = (await (await call(app.url, '/conversations', { cookie: zoe.cookie })).json()) as {
      conversations: { id: string; kind: string }[];
    };
    for (const c of [conversations[0], conversations.find((x) => x.kind === 'direct')]) {
      await call(app.url, `/conversations/${c?.id}/messages`, { cookie: zoe.cookie, json: { text: 'hi from Zoe' } });
      await call(app.url, `/conversations/${c?.id}/messages`, { cookie: yan.cookie, json: { text: 'hi from Yan' } });
    }
  }, 180_000);
  afterAll(() => app?.close());

  it('stops before removing anything when storage fails, and a retry finishes the job', async () => {
    const failure = new SwitchyardError({ code: 'UNAVAILABLE', port: 'storage', retryable: true, message: 'storage is down (injected)' });
    const remove = vi.spyOn(app.server.storage, 'delete').mockRejectedValueOnce(failure);
    try {
      const res = await call(app.url, '/me', { method: 'DELETE', cookie: zoe.cookie });
      expect(res.status).toBe(503);
      expect(await count(sql`select count(*)::int as n from profiles where id = ${zoe.id}`)).toBe(1);
      expect(await app.server.auth.admin.getUser(zoe.id)).not.toBeNull();
    } finally {
      remove.mockRestore();
    }
    expect(app.errors).toHaveLength(1);
    app.errors.length = 0;
  });

  it('removes the user’s files, rows and sign-in account through the ports, and says what went', async () => {
    const socket = await openChat(app.url, zoe);
    const res = await call(app.url, '/me', { method: 'DELETE', cookie: zoe.cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      removed: { files: 2, profile: true, messages: 3, directConversations: 1, matches: 1, account: true },
    });
    expect(cookiesOf(res)).toEqual({ sy_access: '', sy_refresh: '' });
    expect(await socket.closed).toBe(4003);

    expect((await app.server.storage.list({ prefix: `users/${zoe.id}/` })).items).toEqual([]);
    expect(await count(sql`select count(*)::int as n from profiles where id = ${zoe.id}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from messages where author = ${zoe.id}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from matches where ${zoe.id}::uuid in (user_a, user_b)`)).toBe(0);
    expect(await app.server.auth.admin.getUser(zoe.id)).toBeNull();
    expect((await call(app.url, '/me', { cookie: zoe.cookie })).status).toBe(401);

    // Yan keeps his account and his room message; the direct conversation went with Zoe.
    const { conversations } = (await (await call(app.url, '/conversations', { cookie: yan.cookie })).json()) as {
      conversations: { kind: string }[];
    };
    expect(conversations.filter((c) => c.kind === 'direct')).toEqual([]);
    expect(await count(sql`select count(*)::int as n from messages where author = ${yan.id}`)).toBe(1);
  });

  it('logged no server errors', () => {
    expect(app.errors).toEqual([]);
  });
});
