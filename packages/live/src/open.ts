import { cognitoAdapter, rdsAdapter, s3Adapter } from '@switchyard/aws/adapters';
import { createRedisPubSub, type RedisPubSub } from '@switchyard/aws/redis';
import type { AuthPort, DbPort, PubSubPort, StoragePort } from '@switchyard/core';
import type { AdapterContext } from '@switchyard/core/adapter';
import { supabaseAuth, supabaseDb, supabaseRealtime, supabaseStorage } from '@switchyard/supabase/adapters';
import type { SupabaseRealtimeOptions } from '@switchyard/supabase/realtime';
import type { LiveTarget } from './targets/index.js';

/** Targets of one port. */
export type TargetOf<Port extends LiveTarget['port']> = Extract<LiveTarget, { port: Port }>;

// The suites reach the port only: what an adapter offers beside it (Redis presence) is not kept.
const CONTEXT: AdapterContext = { provide: () => {} };

/** The adapter of a storage target, opened by its descriptor as `createProviders` opens it. */
export function openStorage(target: TargetOf<'storage'>): Promise<StoragePort> {
  return target.name === 'aws-s3' ? s3Adapter.create(target.options, CONTEXT) : supabaseStorage.create(target.options, CONTEXT);
}

/** The adapter of an auth target. */
export function openAuth(target: TargetOf<'auth'>): Promise<AuthPort> {
  return target.name === 'aws-cognito' ? cognitoAdapter.create(target.options, CONTEXT) : supabaseAuth.create(target.options, CONTEXT);
}

/** The adapter of a db target; `maxConnections` bounds its pool (the claim-leak case asks for 1). */
export function openDb(target: TargetOf<'db'>, maxConnections?: number): Promise<DbPort> {
  if (target.name === 'aws-rds')
    return rdsAdapter.create({ ...target.options, ...(maxConnections ? { max: maxConnections } : {}) }, CONTEXT);
  return supabaseDb.create({ ...target.options, ...(maxConnections ? { maxConnections } : {}) }, CONTEXT);
}

/**
 * The adapter of the Redis target, through the package's factory: the harness counts its
 * connections with `RedisPubSub.openConnections`, which the descriptor's `PubSubPort` does not show.
 */
export function openRedis(target: Extract<TargetOf<'pubsub'>, { name: 'aws-redis' }>): Promise<RedisPubSub> {
  return createRedisPubSub(target.options);
}

type Transport = NonNullable<SupabaseRealtimeOptions['transport']>;

/**
 * The adapter of the Realtime target, with the sockets it holds counted on the client side: the
 * contract checks that `close` leaves none open, and a hosted project reports no counts.
 */
export async function openRealtime(
  target: Extract<TargetOf<'pubsub'>, { name: 'supabase-realtime' }>,
): Promise<{ port: PubSubPort; openSockets(): number }> {
  let open = 0;
  class CountedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      open++;
      this.addEventListener('close', () => open--, { once: true });
    }
  }
  const port = await supabaseRealtime.create({ ...target.options, transport: CountedWebSocket as unknown as Transport }, CONTEXT);
  return { port, openSockets: () => open };
}
