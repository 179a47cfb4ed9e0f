import { sql } from '@switchyard/core';
import type { Migration } from '../migrate.js';

/** The hobby catalogue: profiles pick slugs from it, so "Climbing" and "climbing " are one hobby. */
export const HOBBIES: readonly (readonly [slug: string, label: string])[] = [
  ['birdwatching', 'Birdwatching'],
  ['board-games', 'Board games'],
  ['books', 'Books'],
  ['chess', 'Chess'],
  ['climbing', 'Climbing'],
  ['cooking', 'Cooking'],
  ['cycling', 'Cycling'],
  ['dancing', 'Dancing'],
  ['drawing', 'Drawing'],
  ['film', 'Film'],
  ['football', 'Football'],
  ['gardening', 'Gardening'],
  ['hiking', 'Hiking'],
  ['knitting', 'Knitting'],
  ['languages', 'Languages'],
  ['music', 'Making music'],
  ['photography', 'Photography'],
  ['running', 'Running'],
  ['swimming', 'Swimming'],
  ['tennis', 'Tennis'],
  ['theatre', 'Theatre'],
  ['video-games', 'Video games'],
  ['volunteering', 'Volunteering'],
  ['yoga', 'Yoga'],
];

/**
 * Profiles members can see of each other: a bio, catalogue hobbies, an approximate place and the
 * current photo. The email leaves the table (the AuthPort has it, and members now read each
 * other's rows), and the "own row only" policy becomes "read all, write your own".
 */
export const memberProfiles: Migration = {
  version: 2,
  name: 'member profiles',
  async up(tx) {
    await tx.query(sql`create table hobbies (slug text primary key, label text not null)`);
    for (const [slug, label] of HOBBIES) await tx.query(sql`insert into hobbies (slug, label) values (${slug}, ${label})`);
    await tx.query(sql`grant select on hobbies to authenticated`);

    await tx.query(sql`alter table profiles drop column if exists email`);
    await tx.query(sql`alter table profiles
      add column bio text not null default '',
      add column place text,
      add column lat double precision,
      add column lng double precision,
      add column photo text,
      add column updated_at timestamptz not null default now(),
      add constraint profiles_location check (
        (lat is null) = (lng is null) and (lat is null or (lat between -90 and 90 and lng between -180 and 180))
      )`);
    // Free-text hobbies of the first version keep only what the catalogue knows.
    await tx.query(sql`update profiles set hobbies = array(
      select distinct lower(h) from unnest(hobbies) h where lower(h) in (select slug from hobbies) order by 1)`);
    await tx.query(sql`create index profiles_hobbies on profiles using gin (hobbies)`);

    await tx.query(sql`drop policy profiles_own_row on profiles`);
    await tx.query(sql`create policy profiles_members_read on profiles for select to authenticated using (true)`);
    await tx.query(sql`create policy profiles_insert_own on profiles for insert to authenticated with check (id = auth.uid())`);
    await tx.query(sql`create policy profiles_update_own on profiles for update to authenticated
      using (id = auth.uid()) with check (id = auth.uid())`);
    await tx.query(sql`create policy profiles_delete_own on profiles for delete to authenticated using (id = auth.uid())`);
  },
};
