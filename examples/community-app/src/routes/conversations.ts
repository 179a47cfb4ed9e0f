import { sql } from '@switchyard/core';
import { conversationId, history, storeMessage } from '../chat/messages.js';
import { publishMessage } from '../chat/socket.js';
import { readJson, sendJson } from '../http.js';
import { asDbUser } from '../members/db-user.js';
import { thumbnailUrl } from '../photos/keys.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate } from '../session.js';

interface ConversationRow {
  id: string;
  kind: 'room' | 'direct';
  slug: string | null;
  title: string | null;
  other_id: string | null;
  other_name: string | null;
  other_photo: string | null;
}

/** The rooms, then the caller's direct conversations (row-level security hides everyone else's). */
async function listConversations(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const { rows } = await ctx.app.db.asUser(asDbUser(user), (tx) =>
    tx.query<ConversationRow>(sql`
      select c.id, c.kind, c.slug, c.title, o.id as other_id, o.display_name as other_name, o.photo as other_photo
      from conversations c
      left join profiles o on c.kind = 'direct'
        and o.id = case when c.member_a = ${user.id}::uuid then c.member_b else c.member_a end
      order by c.kind desc, c.position nulls last, c.created_at, c.id`),
  );
  const conversations = await Promise.all(
    rows.map(async (row) =>
      row.kind === 'room'
        ? { id: row.id, kind: row.kind, slug: row.slug, title: row.title ?? row.slug }
        : {
            id: row.id,
            kind: row.kind,
            title: row.other_name ?? 'A member',
            member: {
              id: row.other_id,
              displayName: row.other_name,
              thumbnailUrl: row.other_id ? await thumbnailUrl(ctx.app.storage, row.other_id, row.other_photo) : null,
            },
          },
    ),
  );
  sendJson(ctx.res, 200, { conversations });
}

/** History over HTTP, for API clients; the page gets the same from the socket's `join`. */
async function listMessages(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const id = conversationId(ctx.params.id);
  const messages = await history(ctx.app.db, user, id, ctx.url.searchParams.get('after') ?? undefined);
  sendJson(ctx.res, 200, { messages });
}

/** Posting over HTTP, for API clients: stored, then broadcast exactly as a message sent on the socket. */
async function postMessage(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const id = conversationId(ctx.params.id);
  const message = await storeMessage(ctx.app.db, user, id, (await readJson(ctx.req)).text);
  await publishMessage(ctx.app, message);
  sendJson(ctx.res, 201, { message });
}

export const conversationRoutes: Route[] = [
  { method: 'GET', path: '/conversations', handler: listConversations },
  { method: 'GET', path: '/conversations/:id/messages', handler: listMessages },
  { method: 'POST', path: '/conversations/:id/messages', handler: postMessage },
];
