import { observe } from '@switchyard/core';
import { loadSupabaseJs } from '../shared/peer.js';
import { realtimeError } from './errors.js';
import { resolveRealtimeOptions, type SupabaseRealtimeOptions } from './options.js';
import { SupabaseRealtime } from './supabase-realtime.js';

/**
 * Creates a PubSubPort on Supabase Realtime Broadcast. Nothing connects here: the socket opens
 * on the first subscribe, and a port that only publishes uses the REST endpoint.
 *
 * @example
 * const pubsub = await createSupabaseRealtime({ url: process.env.SUPABASE_URL!, key: process.env.SUPABASE_SERVICE_ROLE_KEY! });
 * await pubsub.subscribe('orders', (message) => console.log(message.data));
 * await pubsub.publish('orders', { id: 42 });
 */
export async function createSupabaseRealtime(options: SupabaseRealtimeOptions): Promise<SupabaseRealtime> {
  const resolved = resolveRealtimeOptions(options);
  if (!resolved.transport && typeof globalThis.WebSocket === 'undefined') {
    throw realtimeError(
      'create',
      'CONFIG',
      'This runtime has no global WebSocket (Node < 22): pass `transport: WebSocket` from the ws package.',
    );
  }
  const { createClient } = await loadSupabaseJs('pubsub', 'realtime');
  const client = createClient(resolved.url, resolved.key, {
    // With accessToken given, supabase-js builds no Auth client: the socket authenticates with the key.
    accessToken: async () => resolved.key,
    realtime: {
      timeout: resolved.timeoutMs,
      // A logger keeps realtime-js from printing to the console; the library prints nothing by itself.
      logger: () => undefined,
      ...(resolved.transport ? { transport: resolved.transport } : {}),
    },
  });
  return observe(new SupabaseRealtime(resolved, client), { port: 'pubsub', provider: 'supabase', onEvent: options.onEvent });
}
