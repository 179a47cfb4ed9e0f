import { createRdsDb } from '@switchyard/aws/rds';
import { createRedisPubSub, type RedisPubSub } from '@switchyard/aws/redis';
import { createS3Storage } from '@switchyard/aws/s3';
import type { DbPort, StoragePort } from '@switchyard/core';
import { createSupabaseDb } from '@switchyard/supabase/db';
import { createSupabaseStorage } from '@switchyard/supabase/storage';
import type { LiveTarget } from './targets/index.js';

/** Targets of one port. */
export type TargetOf<Port extends LiveTarget['port']> = Extract<LiveTarget, { port: Port }>;

/** The adapter of a storage target, opened through its package's public factory. */
export function openStorage(target: TargetOf<'storage'>): Promise<StoragePort> {
  return target.name === 'aws-s3' ? createS3Storage(target.options) : createSupabaseStorage(target.options);
}

/** The adapter of a db target; `maxConnections` bounds its pool (the claim-leak case asks for 1). */
export function openDb(target: TargetOf<'db'>, maxConnections?: number): Promise<DbPort> {
  if (target.name === 'aws-rds') return createRdsDb({ ...target.options, ...(maxConnections ? { max: maxConnections } : {}) });
  return createSupabaseDb({ ...target.options, ...(maxConnections ? { maxConnections } : {}) });
}

/** The adapter of a pub/sub target. */
export function openPubSub(target: TargetOf<'pubsub'>): Promise<RedisPubSub> {
  return createRedisPubSub(target.options);
}
