/**
 * `@switchyard/supabase/realtime`: PubSubPort on Supabase Realtime Broadcast
 * (`npm install @switchyard/supabase @supabase/supabase-js`).
 */
export { createSupabaseRealtime } from './create.js';
export type { SupabaseRealtimeOptions } from './options.js';
export { SupabaseRealtimeDriver } from './supabase-realtime.js';
