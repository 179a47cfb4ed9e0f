import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { FakeRealtime, startFakeGoTrue } from '@switchyard/test-peers/supabase';
import { describe, expect, it } from 'vitest';
import { createSupabaseAuth } from '../src/auth/index.js';
import { createSupabaseRealtime } from '../src/realtime/index.js';

const serverOptions = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

describe('a supabase-js client of the caller', () => {
  it('auth: runs the admin API on it and leaves it usable after close', async () => {
    const fake = await startFakeGoTrue({ anonKey: 'anon', serviceRoleKey: 'service' });
    try {
      const client = createClient(fake.url, 'service', serverOptions);
      const auth = await createSupabaseAuth({ url: fake.url, anonKey: 'anon', serviceRoleKey: 'service', client });
      const user = await auth.admin.createUser({ email: `${randomUUID()}@example.com` });
      await auth.close();
      const { data, error } = await client.auth.admin.getUserById(user.id);
      expect(error).toBeNull();
      expect(data.user?.id).toBe(user.id);
    } finally {
      await fake.close();
    }
  });

  it('realtime: joins channels with it', async () => {
    const fake = await FakeRealtime.start();
    try {
      const key = fake.newKey();
      const client = createClient(fake.url, key, { ...serverOptions, realtime: { logger: () => undefined } });
      const pubsub = await createSupabaseRealtime({ url: fake.url, key, client, timeoutMs: 5_000 });
      let deliver!: (data: unknown) => void;
      const received = new Promise((resolve) => {
        deliver = resolve;
      });
      await pubsub.subscribe('orders', (message) => deliver(message.data));
      expect(fake.openSockets(key)).toBe(1);
      await pubsub.publish('orders', { id: 7 });
      expect(await received).toEqual({ id: 7 });
      await pubsub.close();
    } finally {
      await fake.close();
    }
  });
});
