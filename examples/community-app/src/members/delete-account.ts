import { type AuthPort, type DbPort, type StoragePort, SwitchyardError, sql } from '@switchyard/core';
import { userFolder } from '../photos/keys.js';

/** What an account deletion removed, as the page shows it. */
export interface Removed {
  /** Photos and thumbnails. */
  files: number;
  profile: boolean;
  /** Messages the user wrote, and those of the direct conversations that went with them. */
  messages: number;
  directConversations: number;
  matches: number;
  /** The sign-in account at the auth provider. */
  account: boolean;
}

/** Deletes every object under the user's folder, page by page (the listing never holds more than a page). */
async function deleteFiles(storage: StoragePort, userId: string): Promise<number> {
  const prefix = userFolder(userId);
  const deleted = new Set<string>();
  for (;;) {
    // Always the first page, not a cursor: offset-based listings (Supabase Storage) shift as
    // objects go, and a cursor would skip some.
    const { items } = await storage.list({ prefix, limit: 1000 });
    if (items.length === 0) return deleted.size;
    if (items.some((item) => deleted.has(item.key))) {
      throw new SwitchyardError({
        code: 'UNAVAILABLE',
        port: 'storage',
        retryable: true,
        message: 'Storage still lists files it reported deleted; try the account deletion again in a moment.',
      });
    }
    await storage.delete(items.map((item) => item.key));
    for (const item of items) deleted.add(item.key);
  }
}

async function deleteRows(db: DbPort, userId: string): Promise<Omit<Removed, 'files' | 'account'>> {
  return db.transaction(async (tx) => {
    const direct = await tx.query<{ id: string }>(
      sql`select id from conversations where kind = 'direct' and ${userId}::uuid in (member_a, member_b)`,
    );
    const ids = direct.rows.map((row) => row.id);
    const messages = await tx.query(
      sql`delete from messages where author = ${userId}::uuid or conversation_id = any(${ids}::uuid[]) returning 1`,
    );
    const matches = await tx.query(sql`delete from matches where ${userId}::uuid in (user_a, user_b) returning 1`);
    await tx.query(sql`delete from conversations where id = any(${ids}::uuid[])`);
    const profile = await tx.query(sql`delete from profiles where id = ${userId}::uuid returning 1`);
    return { profile: profile.rowCount > 0, messages: messages.rowCount, directConversations: ids.length, matches: matches.rowCount };
  });
}

/**
 * Removes a user everywhere, through the ports: files first, then rows, then the sign-in account
 * last, so a deletion that fails half-way can be retried by the same signed-in user and finishes
 * what is left (every step is idempotent).
 */
export async function deleteAccount(ports: { storage: StoragePort; db: DbPort; auth: AuthPort }, userId: string): Promise<Removed> {
  const files = await deleteFiles(ports.storage, userId);
  const rows = await deleteRows(ports.db, userId);
  await ports.auth.admin.deleteUser(userId);
  return { files, ...rows, account: true };
}
