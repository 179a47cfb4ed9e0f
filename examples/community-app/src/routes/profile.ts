import { type AuthUser, type DbUser, sql } from '@switchyard/core';
import { fail, readJson, sendJson } from '../http.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate } from '../session.js';
import { publicUser } from './auth.js';

const MAX_NAME = 80;
const MAX_HOBBIES = 20;
const MAX_HOBBY = 40;

interface ProfileRow {
  display_name: string | null;
  hobbies: string[] | null;
}

/** Who the database sees: `auth.uid()` in the RLS policies returns this id. */
export function asDbUser(user: AuthUser): DbUser {
  return { id: user.id, email: user.email };
}

function profileBody(user: AuthUser, row: ProfileRow | null) {
  return { user: publicUser(user), profile: { displayName: row?.display_name ?? null, hobbies: row?.hobbies ?? [] } };
}

async function getMe(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  // No WHERE clause on purpose: the RLS policy narrows the table to the caller's own row. Were it
  // not applied, another user's row would make `maybeOne` refuse with "several rows".
  const row = await ctx.app.db.asUser(asDbUser(user), (tx) => tx.maybeOne<ProfileRow>(sql`select display_name, hobbies from profiles`));
  sendJson(ctx.res, 200, profileBody(user, row));
}

function parseHobbies(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_HOBBIES)
    throw fail('INVALID_INPUT', `"hobbies" must be a list of at most ${MAX_HOBBIES} words.`);
  const hobbies = new Map<string, string>();
  for (const item of value) {
    if (typeof item !== 'string' || item.trim() === '' || item.trim().length > MAX_HOBBY) {
      throw fail('INVALID_INPUT', `Each hobby must be a non-empty string of at most ${MAX_HOBBY} characters.`);
    }
    hobbies.set(item.trim().toLowerCase(), item.trim());
  }
  return [...hobbies.values()];
}

async function putMe(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const body = await readJson(ctx.req);
  const displayName = body.displayName ?? null;
  if (displayName !== null && (typeof displayName !== 'string' || displayName.trim().length > MAX_NAME)) {
    throw fail('INVALID_INPUT', `"displayName" must be a string of at most ${MAX_NAME} characters, or null.`);
  }
  const name = typeof displayName === 'string' && displayName.trim() !== '' ? displayName.trim() : null;
  const hobbies = parseHobbies(body.hobbies);
  const row = await ctx.app.db.asUser(asDbUser(user), (tx) =>
    tx.one<ProfileRow>(sql`
      insert into profiles (id, email, display_name, hobbies)
      values (${user.id}, ${user.email}, ${name}, ${hobbies})
      on conflict (id) do update set email = excluded.email, display_name = excluded.display_name, hobbies = excluded.hobbies
      returning display_name, hobbies`),
  );
  sendJson(ctx.res, 200, profileBody(user, row));
}

export const profileRoutes: Route[] = [
  { method: 'GET', path: '/me', handler: getMe },
  { method: 'PUT', path: '/me', handler: putMe },
];
