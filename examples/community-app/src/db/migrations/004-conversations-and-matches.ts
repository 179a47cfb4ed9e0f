import { type DbClient, sql } from '@switchyard/core';
import type { Migration } from '../migrate.js';

/** Rooms every member can join; more can be added by a later migration. */
export const ROOMS: readonly (readonly [slug: string, title: string])[] = [
  ['lobby', 'Lobby'],
  ['introductions', 'Introductions'],
  ['weekend-plans', 'Weekend plans'],
];

async function conversations(tx: DbClient): Promise<void> {
  // A room has a slug; a direct conversation has its two members, the smaller id first, so a pair
  // has at most one.
  await tx.query(sql`create table conversations (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind in ('room', 'direct')),
    slug text unique,
    title text,
    position integer,
    member_a uuid,
    member_b uuid,
    created_at timestamptz not null default now(),
    check ((kind = 'room') = (slug is not null)),
    check ((kind = 'direct') = (member_a is not null and member_b is not null and member_a < member_b)),
    unique (member_a, member_b)
  )`);
  await tx.query(sql`create index conversations_member_b on conversations (member_b)`);
  await tx.query(sql`alter table conversations enable row level security`);
  await tx.query(sql`create policy conversations_visible on conversations for select to authenticated
    using (kind = 'room' or auth.uid() in (member_a, member_b))`);
  await tx.query(sql`grant select on conversations to authenticated`);
  for (const [index, [slug, title]] of ROOMS.entries()) {
    await tx.query(sql`insert into conversations (kind, slug, title, position) values ('room', ${slug}, ${title}, ${index})`);
  }
  // Rooms the first version created on the fly keep their messages.
  await tx.query(sql`insert into conversations (kind, slug, title)
    select distinct 'room'::text, room, room from messages on conflict (slug) do nothing`);
}

async function messages(tx: DbClient): Promise<void> {
  await tx.query(sql`alter table messages add column conversation_id uuid references conversations (id) on delete cascade`);
  await tx.query(sql`update messages m set conversation_id = c.id from conversations c where c.slug = m.room`);
  await tx.query(sql`alter table messages alter column conversation_id set not null, drop column room`);
  await tx.query(sql`create index messages_conversation_created on messages (conversation_id, created_at desc, id desc)`);
  await tx.query(sql`create index messages_author on messages (author)`);
  // A policy's subquery runs under the caller's own policies: a message is visible exactly when
  // its conversation is.
  await tx.query(sql`drop policy if exists messages_read on messages`);
  await tx.query(sql`drop policy if exists messages_post_as_self on messages`);
  await tx.query(sql`create policy messages_read on messages for select to authenticated
    using (exists (select 1 from conversations c where c.id = conversation_id))`);
  await tx.query(sql`create policy messages_post_as_self on messages for insert to authenticated
    with check (author = auth.uid() and exists (select 1 from conversations c where c.id = conversation_id))`);
}

async function matches(tx: DbClient): Promise<void> {
  await tx.query(sql`create table matches (
    id uuid primary key default gen_random_uuid(),
    week date not null,
    user_a uuid not null references profiles (id) on delete cascade,
    user_b uuid not null references profiles (id) on delete cascade,
    shared_hobbies text[] not null,
    distance_km double precision not null,
    accepted_a timestamptz,
    accepted_b timestamptz,
    conversation_id uuid references conversations (id) on delete set null,
    created_at timestamptz not null default now(),
    check (user_a < user_b),
    unique (week, user_a, user_b)
  )`);
  await tx.query(sql`create index matches_user_b on matches (user_b, week)`);
  await tx.query(sql`alter table matches enable row level security`);
  await tx.query(sql`create policy matches_own on matches for select to authenticated using (auth.uid() in (user_a, user_b))`);
  // Members read their matches; accepting goes through the server, which checks both sides.
  await tx.query(sql`grant select on matches to authenticated`);
  // One row per computed week: the match job skips a week it has finished.
  await tx.query(sql`create table match_runs (
    week date primary key,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    members integer not null default 0,
    pairs integer not null default 0
  )`);
}

/** Rooms and direct conversations for chat, and the weekly matches that open direct ones. */
export const conversationsAndMatches: Migration = {
  version: 4,
  name: 'conversations and matches',
  async up(tx) {
    await conversations(tx);
    await messages(tx);
    await matches(tx);
  },
};
