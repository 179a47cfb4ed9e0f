import { randomBytes } from 'node:crypto';
import { sql } from '@switchyard/core';
import { createPostgresDb } from '@switchyard/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatClient, openChat } from './support/chat-client.js';
import { call, saveProfile, signIn } from './support/http.js';
import { createAppDatabase, type TestPostgres } from './support/postgres-template.js';
import { startTestApp, type TestApp } from './support/server.js';

// The same app, unchanged, with two ports moved to AWS by environment variables alone: the
// database to PostgreSQL (with PostGIS) through the RDS adapter and chat to Redis through the
// ElastiCache adapter. Two instances share both, as behind a load balancer.
describe('two instances on PostgreSQL and Redis (SWITCHYARD_DB=aws, SWITCHYARD_PUBSUB=aws)', () => {
  let database: TestPostgres;
  let first: TestApp;
  let second: TestApp;
  const sockets: ChatClient[] = [];

  beforeAll(async () => {
    database = await createAppDatabase();
    const databaseUrl = new URL(database.connectionString);
    databaseUrl.searchParams.set('sslmode', 'disable');
    const env = {
      SWITCHYARD_DB: 'aws',
      DATABASE_URL: databaseUrl.toString(),
      SWITCHYARD_PUBSUB: 'aws',
      REDIS_URL: 'redis://127.0.0.1:6379',
      // Redis is shared with other test files, whose databases have the same room ids.
      REDIS_KEY_PREFIX: `community-app-${randomBytes(4).toString('hex')}:`,
    };
    [first, second] = await Promise.all([startTestApp(env), startTestApp(env)]);
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([first?.close(), second?.close()]);
    await database?.drop();
  });

  it('runs on the providers the environment names, measuring distance with PostGIS', () => {
    for (const app of [first, second]) {
      expect(app.server.db.provider).toBe('aws');
      expect(app.server.pubsub.provider).toBe('aws');
      expect(app.server.storage.provider).toBe('local');
      expect(app.server.distance).toBe('postgis');
    }
  });

  it('relays a message from a socket on one instance to a socket on the other, with one id and the author’s name', async () => {
    const ana = await signIn(first.url, first.mailbox, 'ana@example.com');
    const ben = await signIn(second.url, second.mailbox, 'ben@example.com');
    await saveProfile(first.url, ana, { displayName: 'Ana', hobbies: ['gardening'], place: 'Lyon', lat: 45.76, lng: 4.84 });
    await saveProfile(second.url, ben, { displayName: 'Ben', hobbies: ['gardening'], place: 'Villeurbanne', lat: 45.77, lng: 4.88 });

    const { conversations } = (await (await call(first.url, '/conversations', { cookie: ana.cookie })).json()) as {
      conversations: { id: string; slug: string }[];
    };
    const lobby = conversations.find((c) => c.slug === 'lobby')?.id ?? '';
    const anaSocket = await openChat(first.url, ana);
    const benSocket = await openChat(second.url, ben);
    sockets.push(anaSocket, benSocket);
    await anaSocket.join(lobby);
    await benSocket.join(lobby);

    benSocket.send({ type: 'send', conversationId: lobby, text: 'tomatoes are in', ref: 'r1' });
    const sent = await benSocket.next((f) => f.type === 'sent');
    const heard = await anaSocket.next((f) => f.type === 'message');
    expect(heard.message).toEqual(sent.message);
    expect(heard.message).toMatchObject({ author: { name: 'Ben' }, text: 'tomatoes are in' });

    // Read back with a connection of our own: the row really is in that PostgreSQL database.
    const direct = await createPostgresDb({ connectionString: database.connectionString });
    try {
      const id = (sent.message as { id: string }).id;
      const row = await direct.one<{ text: string }>(sql`select text from messages where id = ${id}`);
      expect(row.text).toBe('tomatoes are in');
    } finally {
      await direct.close();
    }
  });

  it('shows members of both instances to each other by PostGIS distance', async () => {
    const ana = await signIn(first.url, first.mailbox, 'ana2@example.com');
    await saveProfile(first.url, ana, { displayName: 'Ana Two', hobbies: ['gardening'], place: 'Lyon', lat: 45.76, lng: 4.84 });
    const res = await call(first.url, '/members', { cookie: ana.cookie });
    const { members } = (await res.json()) as { members: { displayName: string; distanceKm: number }[] };
    expect(members.find((m) => m.displayName === 'Ben')).toMatchObject({ distanceKm: 3 });
  });

  it('logged no server errors', () => {
    expect([...first.errors, ...second.errors]).toEqual([]);
  });
});
