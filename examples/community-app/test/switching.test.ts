import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '@switchyard/core';
import { createPostgresDb } from '@switchyard/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../packages/postgres/test/test-database.js';
import type { DevMailbox } from '../src/providers.js';
import { type RunningServer, startServer } from '../src/server.js';
import { call, eventReader, signIn } from './helpers.js';

// The same app, unchanged, with two ports moved to AWS by environment variables alone: the
// database to PostgreSQL through the RDS adapter and chat to Redis through the ElastiCache adapter.
describe('community-app with SWITCHYARD_DB=aws and SWITCHYARD_PUBSUB=aws', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: RunningServer;
  let mailbox: DevMailbox;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'community-app-aws-'));
    const databaseUrl = new URL(database.connectionString);
    databaseUrl.searchParams.set('sslmode', 'disable');
    server = await startServer({
      port: 0,
      dataDir,
      env: { SWITCHYARD_DB: 'aws', DATABASE_URL: databaseUrl.toString(), SWITCHYARD_PUBSUB: 'aws', REDIS_URL: 'redis://127.0.0.1:6379' },
    });
    if (!server.mailbox) throw new Error('sign-in still runs on the embedded auth, which should expose its dev mailbox');
    mailbox = server.mailbox;
  });

  afterAll(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('runs on the providers the environment names', () => {
    expect(server.db.provider).toBe('aws');
    expect(server.pubsub.provider).toBe('aws');
    expect(server.storage.provider).toBe('local');
  });

  it('stores chat in PostgreSQL and relays it through Redis', async () => {
    const ana = await signIn(server.url, mailbox, 'ana@example.com');
    // Redis is shared with other test files: a room of our own.
    const room = `garden-${Date.now().toString(36)}`;
    const stream = await call(server.url, `/chat/${room}/stream`, { cookie: ana.cookie, headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const events = eventReader(stream.body as ReadableStream<Uint8Array>);

    const posted = await call(server.url, `/chat/${room}/messages`, { cookie: ana.cookie, json: { text: 'tomatoes are in' } });
    expect(posted.status).toBe(201);
    const { message } = (await posted.json()) as { message: { id: string } };
    const relayed = await events.until((e) => e.event === 'message');
    expect(JSON.parse(relayed.data ?? '{}')).toMatchObject({ id: message.id, text: 'tomatoes are in' });
    await events.cancel();

    // Read back with a connection of our own: the row really is in that PostgreSQL database.
    const direct = createPostgresDb({ connectionString: database.connectionString });
    try {
      const row = await direct.one<{ text: string }>(sql`select text from messages where id = ${message.id}`);
      expect(row.text).toBe('tomatoes are in');
    } finally {
      await direct.close();
    }
  });
});
