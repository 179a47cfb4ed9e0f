import type { Phase } from './workload.js';

/**
 * The flags of each phase, exactly as the README's "Migrating with Switchyard" lists them. Provider settings
 * stay the same throughout; only these change between redeploys.
 */
export const PHASE_FLAGS: Record<Phase, Record<string, string>> = {
  1: {
    SWITCHYARD_STORAGE: 'supabase',
    SWITCHYARD_AUTH: 'supabase',
    SWITCHYARD_DB: 'supabase',
    SWITCHYARD_PUBSUB: 'supabase',
  },
  2: {
    SWITCHYARD_STORAGE: 'supabase',
    SWITCHYARD_STORAGE_SHADOW: 'aws',
    SWITCHYARD_STORAGE_READS: 'compare',
    SWITCHYARD_AUTH: 'supabase',
    SWITCHYARD_AUTH_SHADOW: 'aws',
    SWITCHYARD_DB: 'supabase',
    SWITCHYARD_DB_SHADOW: 'aws',
    SWITCHYARD_DB_READS: 'compare',
    SWITCHYARD_PUBSUB: 'supabase',
    SWITCHYARD_PUBSUB_SHADOW: 'aws',
  },
  3: {
    SWITCHYARD_STORAGE: 'aws',
    SWITCHYARD_STORAGE_SHADOW: 'supabase',
    SWITCHYARD_STORAGE_READS: 'fallback',
    SWITCHYARD_STORAGE_COPY_FORWARD: 'true',
    SWITCHYARD_AUTH: 'aws',
    SWITCHYARD_AUTH_SHADOW: 'supabase',
    SWITCHYARD_AUTH_READS: 'fallback',
    SWITCHYARD_DB: 'aws',
    SWITCHYARD_DB_SHADOW: 'supabase',
    SWITCHYARD_DB_READS: 'compare',
    SWITCHYARD_PUBSUB: 'aws',
    SWITCHYARD_PUBSUB_SHADOW: 'supabase',
  },
  4: {
    SWITCHYARD_STORAGE: 'aws',
    SWITCHYARD_AUTH: 'aws',
    SWITCHYARD_DB: 'aws',
    SWITCHYARD_PUBSUB: 'aws',
  },
};
