import { sql } from '@switchyard/core';
import type { Migration } from '../migrate.js';

/**
 * The schema as the first version of the app created it (before migrations were numbered), with
 * `if not exists` so a data folder made by that version is adopted as it is.
 */
export const profilesAndChat: Migration = {
  version: 1,
  name: 'profiles and chat',
  async up(tx) {
    await tx.query(sql`create table if not exists profiles (
      id uuid primary key,
      email text,
      display_name text,
      hobbies text[] not null default '{}'
    )`);
    await tx.query(sql`alter table profiles enable row level security`);
    await tx.query(sql`drop policy if exists profiles_own_row on profiles`);
    await tx.query(sql`create policy profiles_own_row on profiles for all to authenticated
      using (id = auth.uid()) with check (id = auth.uid())`);
    await tx.query(sql`grant select, insert, update, delete on profiles to authenticated`);
    await tx.query(sql`create table if not exists messages (
      id uuid primary key,
      room text not null,
      author uuid not null,
      text text not null,
      created_at timestamptz not null default now()
    )`);
    await tx.query(sql`create index if not exists messages_room_created_at on messages (room, created_at desc)`);
    await tx.query(sql`alter table messages enable row level security`);
    await tx.query(sql`grant select, insert on messages to authenticated`);
  },
};
