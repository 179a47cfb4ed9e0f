import { SUPABASE_COMPAT_SQL } from '@switchyard/core/adapter/db';
import { mapDbError } from './errors.js';
import type { PostgresDbOptions } from './options.js';
import { loadPg } from './pg-module.js';

/**
 * Applies `SUPABASE_COMPAT_SQL` (roles anon/authenticated/service_role, `auth.uid()` and friends)
 * to a database that Supabase did not create. Idempotent: run it from your migrations or at deploy.
 */
export async function installSupabaseCompat(
  options: Pick<PostgresDbOptions, 'connectionString' | 'host' | 'port' | 'database' | 'user' | 'password' | 'ssl'>,
): Promise<void> {
  // The roles are the cluster's: two databases (or two instances) installing at once can collide
  // on the same role row. The script is idempotent, so a collision is retried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await installOnce(options);
    } catch (error) {
      if (attempt >= 3 || !collided(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

function collided(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = cause?.code;
  return code === '40001' || code === '40P01' || code === '23505' || (code === 'XX000' && /concurrently/.test(String(cause?.message)));
}

async function installOnce(
  options: Pick<PostgresDbOptions, 'connectionString' | 'host' | 'port' | 'database' | 'user' | 'password' | 'ssl'>,
): Promise<void> {
  const client = new (await loadPg()).Client({ ...options });
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
