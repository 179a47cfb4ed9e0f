import type { SupabaseClient } from '@supabase/supabase-js';
import type { PubSubPort } from '@switchyard/core/adapter/pubsub';
import { loadPeer, pubSubPort } from '@switchyard/core/adapter/pubsub';
import { type ResolvedRealtimeOptions, resolveRealtimeOptions, type SupabaseRealtimeOptions } from './options.js';
import { SupabaseRealtimeDriver } from './supabase-realtime.js';
import { webSocketClass, withHandshakeTimeout } from './transport.js';

/** realtime-js's default reconnect intervals (RealtimeClient, RECONNECT_INTERVALS). */
const RECONNECT_SCHEDULE_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * Creates a PubSubPort on Supabase Realtime Broadcast. Nothing connects here: the socket opens
 * on the first subscribe, and a port that only publishes uses the REST endpoint.
 *
 * @example
 * const pubsub = await createSupabaseRealtime({ url: process.env.SUPABASE_URL!, key: process.env.SUPABASE_SERVICE_ROLE_KEY! });
 * await pubsub.subscribe('orders', (message) => console.log(message.data));
 * await pubsub.publish('orders', { id: 42 });
 */
export async function createSupabaseRealtime(options: SupabaseRealtimeOptions): Promise<PubSubPort> {
  const resolved = resolveRealtimeOptions(options);
  const driver = new SupabaseRealtimeDriver(resolved, options.client ?? (await ownClient(resolved)));
  // The client holds the key (socket params, REST headers): only where it connects may print.
  return pubSubPort(driver, {
    provider: 'supabase',
    onEvent: options.onEvent,
    summary: { url: resolved.url, event: resolved.event, private: resolved.private },
  });
}

/** A supabase-js client made for this port alone, socket bounded and silent. */
async function ownClient(resolved: ResolvedRealtimeOptions): Promise<SupabaseClient> {
  const transport = withHandshakeTimeout(await webSocketClass(resolved.transport), resolved.attemptTimeoutMs);
  const { createClient } = await loadPeer(() => import('@supabase/supabase-js'), {
    port: 'pubsub',
    provider: 'supabase',
    module: '@switchyard/supabase/realtime',
    packages: ['@supabase/supabase-js'],
  });
  return createClient(resolved.url, resolved.key, {
    // With accessToken given, supabase-js builds no Auth client: the socket authenticates with the key.
    accessToken: async () => resolved.key,
    realtime: {
      timeout: resolved.timeoutMs,
      heartbeatIntervalMs: resolved.heartbeatIntervalMs,
      // realtime-js's schedule (1, 2, 5, then every 10 s), capped so that a call made once the
      // service is back finds the socket reconnected within its own timeout.
      reconnectAfterMs: (tries: number) => Math.min(RECONNECT_SCHEDULE_MS[tries - 1] ?? 10_000, resolved.maxReconnectDelayMs),
      // A logger keeps realtime-js from printing to the console; the library prints nothing by itself.
      logger: () => undefined,
      transport,
    },
  });
}
