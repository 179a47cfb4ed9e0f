import { randomUUID } from 'node:crypto';
import {
  type AuthPort,
  type DbPort,
  EnvReader,
  type OperationEvent,
  type PubSubPort,
  readSettings,
  type StoragePort,
  type SwitchyardEvent,
  sql,
} from '@switchyard/core/adapter';
import { FakeRealtime, startFakeGoTrue, startFakeStorage } from '@switchyard/test-peers/supabase';
import { describe, expect, it } from 'vitest';
import { adapters } from '../src/adapters.js';
import { createTestDatabase } from './db-test-database.js';

/** Opens a descriptor the way createProviders does: settings from env, then create with the context. */
async function open<P>(
  descriptor: (typeof adapters)[keyof typeof adapters],
  env: Record<string, string>,
): Promise<{ port: P; events: SwitchyardEvent[] }> {
  const reader = new EnvReader(env);
  const d = descriptor as unknown as {
    settings: Parameters<typeof readSettings>[0];
    options(values: unknown, env: EnvReader): unknown;
    create(options: unknown, context: unknown): Promise<P>;
  };
  const options = d.options(readSettings(d.settings, reader), reader);
  expect(reader.problems).toEqual([]);
  const events: SwitchyardEvent[] = [];
  const port = await d.create(options, { onEvent: (event: SwitchyardEvent) => events.push(event), provide: () => undefined });
  return { port, events };
}

const operations = (events: SwitchyardEvent[]) => events.map((event) => (event as OperationEvent).operation);

describe('creating each supabase adapter from its descriptor', () => {
  it('storage: opens a working port on the Storage API, reporting its calls', async () => {
    const fake = await startFakeStorage({ serviceRoleKey: 'service', bucket: 'uploads' });
    try {
      const { port, events } = await open<StoragePort>(adapters.storage, {
        SUPABASE_URL: fake.url,
        SUPABASE_SERVICE_ROLE_KEY: 'service',
        SUPABASE_STORAGE_BUCKET: 'uploads',
      });
      await port.put('notes/a.txt', 'hello', { contentType: 'text/plain' });
      expect(await port.head('notes/a.txt')).toMatchObject({ size: 5 });
      expect(port.provider).toBe('supabase');
      expect(operations(events)).toEqual(['put', 'head']);
      await port.close();
    } finally {
      await fake.close();
    }
  });

  it('auth: opens a working port on GoTrue', async () => {
    const fake = await startFakeGoTrue({ anonKey: 'anon', serviceRoleKey: 'service', emailFrequencySeconds: 0 });
    try {
      const { port, events } = await open<AuthPort>(adapters.auth, {
        SUPABASE_URL: fake.url,
        SUPABASE_ANON_KEY: 'anon',
        SUPABASE_SERVICE_ROLE_KEY: 'service',
      });
      const email = `${randomUUID()}@example.com`;
      await port.sendSignInEmail(email);
      const session = await port.verifySignIn({ email, code: fake.lastEmail(email)!.code });
      expect((await port.verifyAccessToken(session.accessToken)).email).toBe(email);
      expect(operations(events)).toEqual(['sendSignInEmail', 'verifySignIn', 'verifyAccessToken']);
      await port.close();
    } finally {
      await fake.close();
    }
  });

  it('db: opens a working port on PostgreSQL', async () => {
    const database = await createTestDatabase();
    try {
      const { port, events } = await open<DbPort>(adapters.db, { SUPABASE_DB_URL: database.connectionString });
      expect(await port.one<{ n: number }>(sql`select 1::int as n`)).toEqual({ n: 1 });
      expect(operations(events)).toEqual(['one']);
      await port.close();
    } finally {
      await database.drop();
    }
  });

  it('realtime: opens a working port on Realtime', async () => {
    const fake = await FakeRealtime.start();
    try {
      const { port } = await open<PubSubPort>(adapters.pubsub, {
        SUPABASE_URL: fake.url,
        SUPABASE_SERVICE_ROLE_KEY: fake.newKey(),
        SUPABASE_REALTIME_TIMEOUT_MS: '5000',
      });
      let deliver!: (data: unknown) => void;
      const received = new Promise((resolve) => {
        deliver = resolve;
      });
      await port.subscribe('orders', (message) => deliver(message.data));
      await port.publish('orders', { id: 42 });
      expect(await received).toEqual({ id: 42 });
      await port.close();
    } finally {
      await fake.close();
    }
  });
});
