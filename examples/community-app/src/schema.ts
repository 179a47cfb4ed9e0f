import { type DbPort, type SqlFragment, sql } from '@switchyard/core';

/**
 * The app's tables, written as one would for Supabase: row-level security with `auth.uid()`, so the
 * same policies hold on Supabase, on RDS with the compatibility SQL, and on PGlite locally. Routes
 * reach the tables through `db.asUser`, which runs as the `authenticated` role with the user's claims.
 */
const STATEMENTS: SqlFragment[] = [
  sql`create table if not exists profiles (
    id uuid primary key,
    email text,
    display_name text,
    hobbies text[] not null default '{}'
  )`,
  sql`alter table profiles enable row level security`,
  // Drop and re-create so a changed policy takes effect on the next start.
  sql`drop policy if exists profiles_own_row on profiles`,
  sql`create policy profiles_own_row on profiles for all to authenticated
    using (id = auth.uid()) with check (id = auth.uid())`,
  sql`grant select, insert, update, delete on profiles to authenticated`,

  sql`create table if not exists messages (
    id uuid primary key,
    room text not null,
    author uuid not null,
    text text not null,
    created_at timestamptz not null default now()
  )`,
  sql`create index if not exists messages_room_created_at on messages (room, created_at desc)`,
  sql`alter table messages enable row level security`,
  sql`drop policy if exists messages_read on messages`,
  sql`create policy messages_read on messages for select to authenticated using (true)`,
  sql`drop policy if exists messages_post_as_self on messages`,
  sql`create policy messages_post_as_self on messages for insert to authenticated with check (author = auth.uid())`,
  sql`grant select, insert on messages to authenticated`,
];

/** Creates what is missing, in one transaction; safe to run on every start. */
export async function ensureSchema(db: DbPort): Promise<void> {
  await db.transaction(async (tx) => {
    for (const statement of STATEMENTS) await tx.query(statement);
  });
}
