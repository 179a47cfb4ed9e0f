import type { PubSubHarness } from '@switchyard/contract-tests';
import type { PubSubPort } from '@switchyard/core/adapter';
import { FakeRealtime } from '@switchyard/test-peers/supabase';
import { createSupabaseRealtime, type SupabaseRealtimeOptions } from '../src/realtime/index.js';

/** The fake, plus ports that each connect with their own key so the fake can count their sockets. */
export interface RealtimeFixture {
  fake: FakeRealtime;
  connect(options?: Partial<SupabaseRealtimeOptions>): Promise<PubSubPort>;
  keyOf(port: PubSubPort): string;
  harness: PubSubHarness;
  teardown(): Promise<void>;
}

export async function startRealtime(): Promise<RealtimeFixture> {
  const fake = await FakeRealtime.start();
  const keys = new WeakMap<PubSubPort, string>();
  const ports: PubSubPort[] = [];
  const connect = async (options: Partial<SupabaseRealtimeOptions> = {}) => {
    const key = fake.newKey();
    const port = await createSupabaseRealtime({ url: fake.url, key, timeoutMs: 5_000, ...options });
    keys.set(port, key);
    ports.push(port);
    return port;
  };
  const keyOf = (port: PubSubPort) => {
    const key = keys.get(port);
    if (!key) throw new Error('this port was not created by the fixture');
    return key;
  };
  return {
    fake,
    connect,
    keyOf,
    harness: { connect, openConnections: async (port) => fake.openSockets(keyOf(port)) },
    teardown: async () => {
      await Promise.all(ports.map((port) => port.close()));
      await fake.close();
    },
  };
}
