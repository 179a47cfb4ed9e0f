import { SUPABASE_COMPAT_SQL } from '@switchyard/core/adapter';
import pg from 'pg';
import { mapDbError } from './errors.js';
import type { PostgresDbOptions } from './options.js';

/**
 * Applies `SUPABASE_COMPAT_SQL` (roles anon/authenticated/service_role, `auth.uid()` and friends)
 * to a database that Supabase did not create. Idempotent: run it from your migrations or at deploy.
 */
export async function installSupabaseCompat(
  options: Pick<PostgresDbOptions, 'connectionString' | 'host' | 'port' | 'database' | 'user' | 'password' | 'ssl'>,
): Promise<void> {
  const client = new pg.Client({ ...options });
  const context = { provider: 'postgres', operation: 'installSupabaseCompat' };
  try {
    await client.connect();
    await client.query(SUPABASE_COMPAT_SQL);
  } catch (error) {
    throw mapDbError(error, context);
  } finally {
    await client.end().catch(() => undefined);
  }
}
