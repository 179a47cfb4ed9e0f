import { type DbPort, sql } from '@switchyard/core';
import { fail } from '../http.js';

export interface Acceptance {
  matchId: string;
  other: string;
  /** Set once both members accepted: their direct conversation. */
  conversationId: string | null;
  /** True when this acceptance opened the conversation (the other member had accepted before). */
  opened: boolean;
}

interface MatchRow {
  id: string;
  user_a: string;
  user_b: string;
  accepted_a: Date | null;
  accepted_b: Date | null;
  conversation_id: string | null;
}

/**
 * Records that `userId` accepts the match; when both members have, opens their direct conversation
 * (or reuses the one an earlier week's match opened). Runs as the server, not as the user: members
 * may read their matches but not write them, so the rule "both must accept" cannot be skipped.
 * The row lock makes two simultaneous acceptances open one conversation.
 */
export async function acceptMatch(db: DbPort, userId: string, matchId: string): Promise<Acceptance> {
  return db.transaction(async (tx) => {
    const match = await tx.maybeOne<MatchRow>(sql`
      select id, user_a, user_b, accepted_a, accepted_b, conversation_id from matches
      where id = ${matchId} and ${userId}::uuid in (user_a, user_b) for update`);
    if (!match) throw fail('NOT_FOUND', 'You have no such match.');
    const side = match.user_a === userId ? 'a' : 'b';
    const other = side === 'a' ? match.user_b : match.user_a;
    const otherAccepted = side === 'a' ? match.accepted_b !== null : match.accepted_a !== null;
    await tx.query(
      side === 'a'
        ? sql`update matches set accepted_a = coalesce(accepted_a, now()) where id = ${matchId}`
        : sql`update matches set accepted_b = coalesce(accepted_b, now()) where id = ${matchId}`,
    );
    if (!otherAccepted || match.conversation_id) {
      return { matchId, other, conversationId: match.conversation_id, opened: false };
    }
    const conversation = await tx.one<{ id: string }>(sql`
      insert into conversations (kind, member_a, member_b) values ('direct', ${match.user_a}, ${match.user_b})
      on conflict (member_a, member_b) do update set member_a = excluded.member_a
      returning id`);
    await tx.query(sql`update matches set conversation_id = ${conversation.id} where id = ${matchId}`);
    return { matchId, other, conversationId: conversation.id, opened: true };
  });
}
