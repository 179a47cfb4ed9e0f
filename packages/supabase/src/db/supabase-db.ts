import type { DbPort } from '@switchyard/core/adapter/db';
import { createPostgresDb } from '@switchyard/postgres';
import { resolveDbOptions, type SupabaseDbMode, type SupabaseDbOptions } from './options.js';

/** A DbPort on a Supabase database; `mode` says how it connects. */
export interface SupabaseDb extends DbPort {
  readonly mode: SupabaseDbMode;
}

/**
 * A DbPort on the Supabase project's PostgreSQL: `@switchyard/postgres` configured for the direct
 * connection or Supavisor. `asUser` sets the role and `request.jwt.claims` transaction-locally
 * exactly as PostgREST does, so the project's RLS policies (`auth.uid() = user_id`) apply.
 *
 * Through the transaction pooler it stays within what Supavisor supports: every statement is
 * unnamed (no prepared statements), nothing is set for the session (claims and role are
 * `set_config(..., true)` inside the transaction), and no startup parameters beyond
 * `application_name` are sent.
 *
 * @example
 * const db = await createSupabaseDb({ connectionString: process.env.SUPABASE_DB_URL!, ssl: { ca: SUPABASE_CA_PEM } });
 * const notes = await db.asUser({ id: userId }, (tx) => tx.query(sql`select * from notes`));
 */
export async function createSupabaseDb(options: SupabaseDbOptions): Promise<SupabaseDb> {
  const { mode, postgres } = resolveDbOptions(options);
  const port = await createPostgresDb(postgres);
  return Object.defineProperty(port, 'mode', { value: mode, enumerable: true }) as SupabaseDb;
}
