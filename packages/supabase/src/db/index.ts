/**
 * `@switchyard/supabase/db`: DbPort on the Supabase project's PostgreSQL (direct or through
 * Supavisor), with PostgREST-identical `asUser`. Needs no Supabase client library.
 */
export type { SupabaseDbMode, SupabaseDbOptions, SupabaseDbSsl } from './options.js';
export { createSupabaseDb, type SupabaseDb } from './supabase-db.js';
