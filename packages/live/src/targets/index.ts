import { awsCognito, supabaseAuth } from './auth.js';
import { awsRds, supabaseDb } from './db.js';
import type { OptionsOf, TargetDefinition } from './definition.js';
import { awsRedis, supabaseRealtime } from './pubsub.js';
import { awsS3, supabaseStorage } from './storage.js';

export type { Container, LivePort, TargetDefinition } from './definition.js';
export { readTarget } from './definition.js';

/** Every target the live tier can run, one per adapter, in the order the summary lists them. */
export const TARGETS = [awsS3, supabaseStorage, awsCognito, supabaseAuth, awsRds, supabaseDb, awsRedis, supabaseRealtime] as const;

/** What a planned target carries into the suites: its name, port and the adapter's options. */
export type LiveTarget =
  | { name: 'aws-s3'; port: 'storage'; options: OptionsOf<typeof awsS3> }
  | { name: 'supabase-storage'; port: 'storage'; options: OptionsOf<typeof supabaseStorage> }
  | { name: 'aws-cognito'; port: 'auth'; options: OptionsOf<typeof awsCognito> }
  | { name: 'supabase-auth'; port: 'auth'; options: OptionsOf<typeof supabaseAuth> }
  | { name: 'aws-rds'; port: 'db'; options: OptionsOf<typeof awsRds> }
  | { name: 'supabase-db'; port: 'db'; options: OptionsOf<typeof supabaseDb> }
  | { name: 'aws-redis'; port: 'pubsub'; options: OptionsOf<typeof awsRedis> }
  | { name: 'supabase-realtime'; port: 'pubsub'; options: OptionsOf<typeof supabaseRealtime> };

export type TargetName = LiveTarget['name'];

export function definitionOf(name: string): TargetDefinition<string, unknown> | undefined {
  return TARGETS.find((target) => target.name === name) as TargetDefinition<string, unknown> | undefined;
}
