import { randomUUID } from 'node:crypto';
import { SwitchyardError } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChatClient, openChat } from './support/chat-client.js';
import { type Client, call, saveProfile, signIn } from './support/http.js';
import { startTestApp, type TestApp } from './support/server.js';

interface Message {
  id: string;
  conversationId: string;
  author: { id: string; name: string };
  text: string;
}

describe('community-app chat over WebSocket', () => {
  let app: TestApp;
  let ada: Client;
  let bo: Client;
  let lobby: string;
  const sockets: ChatClient[] = [];

  async function chat(client: Client): Promise<ChatClient> {
    const socket = await openChat(app.url, client);
    sockets.push(socket);
    return socket;
  }

  beforeAll(async () => {
    app = await startTestApp();
    ada = await signIn(app.url, app.mailbox, 'ada@example.com');
    bo = await signIn(app.url, app.mailbox, 'bo@example.com');
    await saveProfile(app.url, ada, { displayName: 'Ada', hobbies: ['chess'], place: 'Lyon', lat: 45.76, lng: 4.84 });
    await saveProfile(app.url, bo, { displayName: 'Bo', hobbies: ['chess'], place: 'Lyon', lat: 45.76, lng: 4.84 });
    const { conversations } = (await (await call(app.url, '/conversations', { cookie: ada.cookie })).json()) as {
      conversations: { id: string; slug?: string; kind: string }[];
    };
    expect(conversations.filter((c) => c.kind === 'room').map((c) => c.slug)).toEqual(['lobby', 'introductions', 'weekend-plans']);
    lobby = conversations[0]?.id ?? '';
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app?.close();
  });

  it('delivers a message once to each socket, with the author’s display name and the stored id', async () => {
    const adaSocket = await chat(ada);
    const boSocket = await chat(bo);
    await adaSocket.join(lobby);
    await boSocket.join(lobby);

    adaSocket.send({ type: 'send', conversationId: lobby, text: 'hello from Ada', ref: 'r1' });
    const sent = (await adaSocket.next((f) => f.type === 'sent' && f.ref === 'r1')).message as Message;
    const heard = (await boSocket.next((f) => f.type === 'message')).message as Message;
    expect(heard).toEqual(sent);
    expect(heard).toMatchObject({ conversationId: lobby, author: { id: ada.id, name: 'Ada' }, text: 'hello from Ada' });
    // The sender hears its own message on the channel too, with the same id: the page keeps one.
    const echo = (await adaSocket.next((f) => f.type === 'message')).message as Message;
    expect(echo.id).toBe(sent.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(boSocket.frames.filter((f) => f.type === 'message')).toHaveLength(1);

    const history = (await (await call(app.url, `/conversations/${lobby}/messages`, { cookie: bo.cookie })).json()) as {
      messages: Message[];
    };
    expect(history.messages.filter((m) => m.id === sent.id)).toEqual([sent]);
  });

  it('catches up after a dropped socket: what was missed comes from history, nothing twice', async () => {
    const room = (await (await call(app.url, '/conversations', { cookie: ada.cookie })).json()).conversations[1].id as string;
    const first = await chat(bo);
    const seen = new Map<string, Message>();
    for (const m of ((await first.join(room)).messages as Message[]) ?? []) seen.set(m.id, m);
    const adaSocket = await chat(ada);
    await adaSocket.join(room);
    adaSocket.send({ type: 'send', conversationId: room, text: 'before the drop', ref: 'b' });
    const before = (await first.next((f) => f.type === 'message' && (f.message as Message).text === 'before the drop')).message as Message;
    seen.set(before.id, before);

    // The instance restarts Bo's socket (a redeploy; a network drop looks the same to the server).
    for (const connection of app.server.chatConnections) connection.restart();
    expect(await first.closed).toBe(1012);
    const posted = await call(app.url, `/conversations/${room}/messages`, { cookie: ada.cookie, json: { text: 'while Bo was away' } });
    expect(posted.status).toBe(201);

    const again = await chat(bo);
    const caughtUp = (await again.join(room, before.id)).messages as Message[];
    expect(caughtUp.map((m) => m.text)).toEqual(['before the drop', 'while Bo was away']);
    for (const m of caughtUp) seen.set(m.id, m);
    expect([...seen.values()].filter((m) => m.text === 'before the drop')).toHaveLength(1);
  });

  it('keeps direct conversations to their two members', async () => {
    const eve = await signIn(app.url, app.mailbox, 'eve@example.com');
    const direct = randomUUID();
    const eveSocket = await chat(eve);
    const refused = await eveSocket.join(direct);
    expect(refused).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    const posted = await call(app.url, `/conversations/${direct}/messages`, { cookie: eve.cookie, json: { text: 'hi' } });
    expect(posted.status).toBe(404);
  });

  it('still stores and acknowledges a message when the broadcast fails, and others get it from history', async () => {
    const publish = vi
      .spyOn(app.server.pubsub, 'publish')
      .mockRejectedValueOnce(
        new SwitchyardError({ code: 'UNAVAILABLE', port: 'pubsub', retryable: true, message: 'broker down (injected)' }),
      );
    try {
      const adaSocket = await chat(ada);
      await adaSocket.join(lobby);
      adaSocket.send({ type: 'send', conversationId: lobby, text: 'during the outage', ref: 'o1' });
      const sent = (await adaSocket.next((f) => f.type === 'sent' && f.ref === 'o1')).message as Message;
      const boSocket = await chat(bo);
      const history = (await boSocket.join(lobby)).messages as Message[];
      expect(history.map((m) => m.id)).toContain(sent.id);
    } finally {
      publish.mockRestore();
    }
    expect(app.errors.map((e) => e.message)).toEqual([expect.stringMatching(/could not broadcast message/)]);
    app.errors.length = 0;
  });

  it('refuses sockets without a session or from another site, and bad frames', async () => {
    await expect(openChat(app.url, { ...ada, cookie: '' })).rejects.toThrow(/401/);
    await expect(openChat(app.url, ada, 'https://evil.example')).rejects.toThrow(/403/);
    const socket = await chat(ada);
    socket.send({ type: 'dance' });
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_INPUT' });
    socket.send({ type: 'send', conversationId: lobby, text: 'x'.repeat(2001), ref: 'long' });
    expect(await socket.next((f) => f.type === 'error' && f.ref === 'long')).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('holds one subscription per conversation on the instance, released when the last socket leaves', async () => {
    for (const socket of sockets.splice(0)) {
      socket.close();
      await socket.closed;
    }
    await vi.waitFor(() => expect(app.server.hub.size).toBe(0));
    const one = await chat(ada);
    const two = await chat(bo);
    await one.join(lobby);
    await two.join(lobby);
    expect(app.server.hub.size).toBe(3); // the lobby and each user's notices
    one.close();
    two.close();
    await vi.waitFor(() => expect(app.server.hub.size).toBe(0));
  });

  it('logged no server errors', () => {
    expect(app.errors).toEqual([]);
  });
});
