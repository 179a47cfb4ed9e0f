export { SUPABASE_COMPAT_SQL } from '@switchyard/core';
export * from './postgres-db.js';
