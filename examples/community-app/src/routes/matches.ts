import { sql } from '@switchyard/core';
import { fail, sendJson } from '../http.js';
import { acceptMatch } from '../matching/accept.js';
import { weekOf } from '../matching/week.js';
import { asDbUser } from '../members/db-user.js';
import { notify } from '../notices.js';
import { thumbnailUrl } from '../photos/keys.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate } from '../session.js';
import { roundKm } from './members.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface MatchRow {
  id: string;
  shared_hobbies: string[];
  distance_km: number;
  you_accepted: boolean;
  they_accepted: boolean;
  conversation_id: string | null;
  other_id: string;
  display_name: string;
  bio: string;
  place: string | null;
  photo: string | null;
}

/** This week's matches (computed by the match job), with whether each side has accepted. */
async function listMatches(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const week = weekOf(new Date());
  // Row-level security keeps this to the caller's own matches; the WHERE only picks the other side.
  const { rows } = await ctx.app.db.asUser(asDbUser(user), (tx) =>
    tx.query<MatchRow>(sql`
      select m.id, m.shared_hobbies, m.distance_km, m.conversation_id,
        (case when m.user_a = ${user.id}::uuid then m.accepted_a else m.accepted_b end) is not null as you_accepted,
        (case when m.user_a = ${user.id}::uuid then m.accepted_b else m.accepted_a end) is not null as they_accepted,
        o.id as other_id, o.display_name, o.bio, o.place, o.photo
      from matches m
      join profiles o on o.id = case when m.user_a = ${user.id}::uuid then m.user_b else m.user_a end
      where m.week = ${week}::date
      order by cardinality(m.shared_hobbies) desc, m.distance_km, m.id`),
  );
  const matches = await Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      member: {
        id: row.other_id,
        displayName: row.display_name,
        bio: row.bio,
        place: row.place,
        thumbnailUrl: await thumbnailUrl(ctx.app.storage, row.other_id, row.photo),
      },
      sharedHobbies: row.shared_hobbies,
      distanceKm: roundKm(row.distance_km),
      youAccepted: row.you_accepted,
      theyAccepted: row.they_accepted,
      conversationId: row.conversation_id,
    })),
  );
  sendJson(ctx.res, 200, { week, matches });
}

async function accept(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const matchId = ctx.params.id ?? '';
  if (!UUID.test(matchId)) throw fail('NOT_FOUND', 'You have no such match.');
  const result = await acceptMatch(ctx.app.db, user.id, matchId);
  const me = await ctx.app.db.asUser(asDbUser(user), (tx) =>
    tx.maybeOne<{ display_name: string | null }>(sql`select display_name from profiles where id = ${user.id}`),
  );
  // The other member's open page updates at once, on whichever instance it is connected to.
  await notify(ctx.app, result.other, {
    type: result.opened ? 'conversation-opened' : 'match-accepted',
    matchId,
    conversationId: result.conversationId,
    name: me?.display_name ?? 'Your match',
  });
  sendJson(ctx.res, 200, { matchId, conversationId: result.conversationId, waitingForOther: result.conversationId === null });
}

export const matchRoutes: Route[] = [
  { method: 'GET', path: '/matches', handler: listMatches },
  { method: 'POST', path: '/matches/:id/accept', handler: accept },
];
