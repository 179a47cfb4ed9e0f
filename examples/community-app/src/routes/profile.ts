import { type AuthUser, sql } from '@switchyard/core';
import { fail, readJson, sendJson } from '../http.js';
import { asDbUser } from '../members/db-user.js';
import { parseProfile } from '../members/profile-input.js';
import { thumbnailUrl } from '../photos/keys.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate } from '../session.js';
import { publicUser } from './auth.js';

interface ProfileRow {
  display_name: string | null;
  bio: string;
  hobbies: string[];
  place: string | null;
  lat: number | null;
  lng: number | null;
  photo: string | null;
}

async function profileBody(ctx: RequestContext, user: AuthUser, row: ProfileRow | null) {
  return {
    user: publicUser(user),
    profile: {
      displayName: row?.display_name ?? null,
      bio: row?.bio ?? '',
      hobbies: row?.hobbies ?? [],
      location: row?.place && row.lat !== null && row.lng !== null ? { place: row.place, lat: row.lat, lng: row.lng } : null,
      photo: row?.photo ? { name: row.photo, thumbnailUrl: await thumbnailUrl(ctx.app.storage, user.id, row.photo) } : null,
    },
  };
}

const COLUMNS = sql`display_name, bio, hobbies, place, lat, lng, photo`;

async function getMe(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const row = await ctx.app.db.asUser(asDbUser(user), (tx) =>
    tx.maybeOne<ProfileRow>(sql`select ${COLUMNS} from profiles where id = ${user.id}`),
  );
  sendJson(ctx.res, 200, await profileBody(ctx, user, row));
}

async function putMe(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const input = parseProfile(await readJson(ctx.req));
  const { place = null, lat = null, lng = null } = input.location ?? {};
  const row = await ctx.app.db.asUser(asDbUser(user), async (tx) => {
    const { rows } = await tx.query<{ slug: string }>(sql`select slug from hobbies where slug = any(${input.hobbies}::text[])`);
    const unknown = input.hobbies.filter((slug) => !rows.some((r) => r.slug === slug));
    if (unknown.length > 0) throw fail('INVALID_INPUT', `Not in the hobby catalogue (GET /hobbies): ${unknown.join(', ')}.`);
    return tx.one<ProfileRow>(sql`
      insert into profiles (id, display_name, bio, hobbies, place, lat, lng)
      values (${user.id}, ${input.displayName}, ${input.bio}, ${input.hobbies}::text[], ${place}, ${lat}, ${lng})
      on conflict (id) do update set display_name = excluded.display_name, bio = excluded.bio, hobbies = excluded.hobbies,
        place = excluded.place, lat = excluded.lat, lng = excluded.lng, updated_at = now()
      returning ${COLUMNS}`);
  });
  sendJson(ctx.res, 200, await profileBody(ctx, user, row));
}

/** The hobby catalogue, for the profile form and for showing labels. */
async function listHobbies(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const { rows } = await ctx.app.db.asUser(asDbUser(user), (tx) => tx.query(sql`select slug, label from hobbies order by label`));
  sendJson(ctx.res, 200, { hobbies: rows });
}

export const profileRoutes: Route[] = [
  { method: 'GET', path: '/me', handler: getMe },
  { method: 'PUT', path: '/me', handler: putMe },
  { method: 'GET', path: '/hobbies', handler: listHobbies },
];
