import { awsCognito, supabaseAuth } from './auth.js';
import { awsRds, supabaseDb } from './db.js';
import type { TargetDefinition } from './definition.js';
import { awsRedis, supabaseRealtime } from './pubsub.js';
import { awsS3, supabaseStorage } from './storage.js';

export type { Container, LivePort, TargetDefinition } from './definition.js';

/** Every target the live tier can run, one per adapter, in the order the summary lists them. */
export const TARGETS = [awsS3, supabaseStorage, awsCognito, supabaseAuth, awsRds, supabaseDb, awsRedis, supabaseRealtime] as const;

/** What a planned target carries into the suites: its name, port and the adapter's options. */
export type LiveTarget =
  | { name: 'aws-s3'; port: 'storage'; options: ReturnType<typeof awsS3.read> }
  | { name: 'supabase-storage'; port: 'storage'; options: ReturnType<typeof supabaseStorage.read> }
  | { name: 'aws-cognito'; port: 'auth'; options: ReturnType<typeof awsCognito.read> }
  | { name: 'supabase-auth'; port: 'auth'; options: ReturnType<typeof supabaseAuth.read> }
  | { name: 'aws-rds'; port: 'db'; options: ReturnType<typeof awsRds.read> }
  | { name: 'supabase-db'; port: 'db'; options: ReturnType<typeof supabaseDb.read> }
  | { name: 'aws-redis'; port: 'pubsub'; options: ReturnType<typeof awsRedis.read> }
  | { name: 'supabase-realtime'; port: 'pubsub'; options: ReturnType<typeof supabaseRealtime.read> };

export type TargetName = LiveTarget['name'];

export function definitionOf(name: string): TargetDefinition<string, unknown> | undefined {
  return TARGETS.find((target) => target.name === name) as TargetDefinition<string, unknown> | undefined;
}
