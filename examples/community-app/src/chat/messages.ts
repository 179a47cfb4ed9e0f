import { randomUUID } from 'node:crypto';
import { type AuthUser, type DbClient, type DbPort, sql } from '@switchyard/core';
import { fail } from '../http.js';
import { asDbUser } from '../members/db-user.js';

/** What clients receive, on the socket and in history; a type alias (not an interface) so it is `Json`. */
export type ChatMessage = {
  id: string;
  conversationId: string;
  author: { id: string; name: string };
  text: string;
  createdAt: string;
};

export const MAX_TEXT = 2000;
/** Messages a join or a history request returns at most. */
export const HISTORY_LIMIT = 100;
/**
 * A catch-up re-sends this much before the last message the client has: messages stored by two
 * instances at nearly the same time may be published out of order, and the client drops what it
 * already has by id.
 */
const CATCH_UP_OVERLAP = '30 seconds';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The pub/sub channel of a conversation, shared by every app instance. */
export function conversationChannel(conversationId: string): string {
  return `chat:${conversationId}`;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  author: string;
  author_name: string | null;
  text: string;
  created_at: Date | string;
}

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    author: { id: row.author, name: row.author_name ?? 'A member' },
    text: row.text,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Refuses ids that cannot be a conversation before they reach SQL, with the same 404 as an unknown one. */
export function conversationId(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw fail('NOT_FOUND', 'There is no such conversation.');
  return value;
}

/** Throws NOT_FOUND unless `user` may see the conversation (a room, or a direct one they are in). */
async function assertVisible(tx: DbClient, id: string): Promise<void> {
  // Row-level security decides: another pair's conversation is simply not there for this user.
  const row = await tx.maybeOne(sql`select id from conversations where id = ${id}`);
  if (!row) throw fail('NOT_FOUND', 'There is no such conversation, or you are not in it.');
}

/** Throws NOT_FOUND unless `user` may see the conversation. */
export async function assertCanSee(db: DbPort, user: AuthUser, conversation: string): Promise<void> {
  await db.asUser(asDbUser(user), (tx) => assertVisible(tx, conversation));
}

/** Stores a message with a fresh id, as the user (the policy checks the author and the conversation). */
export async function storeMessage(db: DbPort, user: AuthUser, conversation: string, text: unknown): Promise<ChatMessage> {
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT)
    throw fail('INVALID_INPUT', `A message is 1–${MAX_TEXT} characters.`);
  const id = randomUUID();
  const row = await db.asUser(asDbUser(user), async (tx) => {
    await assertVisible(tx, conversation);
    return tx.one<MessageRow>(sql`
      with stored as (
        insert into messages (id, conversation_id, author, text) values (${id}, ${conversation}, ${user.id}, ${text.trim()})
        returning id, conversation_id, author, text, created_at
      )
      select s.*, p.display_name as author_name from stored s left join profiles p on p.id = s.author`);
  });
  return toMessage(row);
}

/**
 * The latest messages of a conversation, oldest first; with `after` (the id of the last message
 * the client has), those from shortly before it on, for a client catching up after a reconnect.
 */
export async function history(db: DbPort, user: AuthUser, conversation: string, after?: string): Promise<ChatMessage[]> {
  const since = after && UUID.test(after) ? after : null;
  const rows = await db.asUser(asDbUser(user), async (tx) => {
    await assertVisible(tx, conversation);
    const { rows } = await tx.query<MessageRow>(sql`
      select m.id, m.conversation_id, m.author, p.display_name as author_name, m.text, m.created_at
      from messages m left join profiles p on p.id = m.author
      where m.conversation_id = ${conversation}
        and (${since}::uuid is null or m.created_at >= coalesce(
          (select created_at - ${CATCH_UP_OVERLAP}::interval from messages where id = ${since}::uuid), '-infinity'))
      order by m.created_at desc, m.id desc
      limit ${HISTORY_LIMIT}`);
    return rows;
  });
  return rows.reverse().map(toMessage);
}
