export { SUPABASE_COMPAT_SQL } from '@switchyard/core/adapter/db';
export { installSupabaseCompat } from './compat.js';
export * from './postgres-db.js';
