import { sql } from '@switchyard/core';
import { fail, sendJson } from '../http.js';
import { asDbUser } from '../members/db-user.js';
import { thumbnailUrl } from '../photos/keys.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate } from '../session.js';

const DEFAULT_RADIUS_KM = 50;
const MAX_RADIUS_KM = 500;
const LIMIT = 50;

interface MemberRow {
  id: string;
  display_name: string;
  bio: string;
  hobbies: string[];
  shared: string[];
  place: string;
  photo: string | null;
  distance_km: number;
}

/** Distances are shown to the kilometre: locations are approximate, so more digits would mislead. */
export function roundKm(km: number): number {
  return Math.max(1, Math.round(km));
}

/**
 * Members near the caller who share at least one hobby, most shared hobbies first, then nearest.
 * The distance is computed in SQL by `nearby_profiles` (PostGIS where the database has it).
 */
async function nearbyMembers(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const radiusParam = ctx.url.searchParams.get('radius');
  const radius = radiusParam === null ? DEFAULT_RADIUS_KM : Number(radiusParam);
  if (!Number.isFinite(radius) || radius <= 0 || radius > MAX_RADIUS_KM)
    throw fail('INVALID_INPUT', `"radius" is a distance in km, more than 0 and at most ${MAX_RADIUS_KM}.`);
  const rows = await ctx.app.db.asUser(asDbUser(user), async (tx) => {
    const me = await tx.maybeOne<{ lat: number | null }>(sql`select lat from profiles where id = ${user.id}`);
    if (me?.lat === null || me?.lat === undefined)
      throw fail('CONFLICT', 'Set your place on your profile first: distances are measured from it.');
    const { rows } = await tx.query<MemberRow>(sql`
      select o.id, o.display_name, o.bio, o.hobbies, o.place, o.photo, n.distance_km,
        array(select unnest(o.hobbies) intersect select unnest(me.hobbies) order by 1) as shared
      from profiles me
      cross join lateral nearby_profiles(me.lat, me.lng, ${radius}) n
      join profiles o on o.id = n.id
      where me.id = ${user.id} and o.id <> me.id and o.hobbies && me.hobbies and o.display_name is not null
      order by cardinality(array(select unnest(o.hobbies) intersect select unnest(me.hobbies))) desc, n.distance_km, o.id
      limit ${LIMIT}`);
    return rows;
  });
  const members = await Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      displayName: row.display_name,
      bio: row.bio,
      hobbies: row.hobbies,
      sharedHobbies: row.shared,
      place: row.place,
      distanceKm: roundKm(row.distance_km),
      thumbnailUrl: await thumbnailUrl(ctx.app.storage, row.id, row.photo),
    })),
  );
  sendJson(ctx.res, 200, { radiusKm: radius, members });
}

export const memberRoutes: Route[] = [{ method: 'GET', path: '/members', handler: nearbyMembers }];
