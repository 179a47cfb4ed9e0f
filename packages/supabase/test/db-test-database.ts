import { installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase as createScratchDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';

export type { TestDatabase };

/**
 * A fresh database bootstrapped the way a Supabase database is, as far as RLS needs: the roles
 * anon/authenticated/service_role and `auth.uid()`/`auth.jwt()`, from the foundation's
 * `installSupabaseCompat` (SUPABASE_COMPAT_SQL). Its connection string has `sslmode=disable`: the
 * local server has no TLS, and Supabase's default is to require it. `drop` removes it.
 */
export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase({ prefix: 'sy_supabase_', prepare: installSupabaseCompat, searchParams: { sslmode: 'disable' } });
}
