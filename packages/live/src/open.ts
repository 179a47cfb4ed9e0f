import { createCognitoAuth } from '@switchyard/aws/cognito';
import { createRdsDb } from '@switchyard/aws/rds';
import { createRedisPubSub, type RedisPubSub } from '@switchyard/aws/redis';
import { createS3Storage } from '@switchyard/aws/s3';
import type { AuthPort, DbPort, PubSubPort, StoragePort } from '@switchyard/core';
import { createSupabaseAuth } from '@switchyard/supabase/auth';
import { createSupabaseDb } from '@switchyard/supabase/db';
import { createSupabaseRealtime, type SupabaseRealtimeOptions } from '@switchyard/supabase/realtime';
import { createSupabaseStorage } from '@switchyard/supabase/storage';
import type { LiveTarget } from './targets/index.js';

/** Targets of one port. */
export type TargetOf<Port extends LiveTarget['port']> = Extract<LiveTarget, { port: Port }>;

/** The adapter of a storage target, opened through its package's public factory. */
export function openStorage(target: TargetOf<'storage'>): Promise<StoragePort> {
  return target.name === 'aws-s3' ? createS3Storage(target.options) : createSupabaseStorage(target.options);
}

/** The adapter of an auth target. */
export function openAuth(target: TargetOf<'auth'>): Promise<AuthPort> {
  return target.name === 'aws-cognito' ? createCognitoAuth(target.options) : createSupabaseAuth(target.options);
}

/** The adapter of a db target; `maxConnections` bounds its pool (the claim-leak case asks for 1). */
export function openDb(target: TargetOf<'db'>, maxConnections?: number): Promise<DbPort> {
  if (target.name === 'aws-rds') return createRdsDb({ ...target.options, ...(maxConnections ? { max: maxConnections } : {}) });
  return createSupabaseDb({ ...target.options, ...(maxConnections ? { maxConnections } : {}) });
}

/** The adapter of the Redis target. */
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
  const port = await createSupabaseRealtime({ ...target.options, transport: CountedWebSocket as unknown as Transport });
  return { port, openSockets: () => open };
}
