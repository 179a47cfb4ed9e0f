/**
 * `@switchyard/supabase/adapters`: what `SWITCHYARD_<PORT>=supabase` loads. Light on purpose: the
 * settings and docs of each adapter, and a `create` that imports the adapter only when it is opened.
 */
import { supabaseAuth } from './descriptors/auth.js';
import { supabaseDb } from './descriptors/db.js';
import { supabaseRealtime } from './descriptors/realtime.js';
import { supabaseStorage } from './descriptors/storage.js';

export { supabaseIssuer } from './descriptors/auth.js';
export { supabaseAuth, supabaseDb, supabaseRealtime, supabaseStorage };

export const adapters = {
  storage: supabaseStorage,
  auth: supabaseAuth,
  db: supabaseDb,
  pubsub: supabaseRealtime,
};
