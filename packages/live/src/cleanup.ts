import type { AuthPort, DbPort, StoragePort } from '@switchyard/core';
import { sql } from '@switchyard/core';
import { Redis } from 'ioredis';

/** Deletes every object whose key starts with `prefix`; returns how many there were. */
export async function deleteObjects(port: StoragePort, prefix: string): Promise<number> {
  let deleted = 0;
  // Deleting while listing shifts the pages, so each round lists from the start again.
  for (;;) {
    const page = await port.list({ prefix, limit: 1000 });
    if (page.items.length === 0) return deleted;
    await port.delete(page.items.map((item) => item.key));
    deleted += page.items.length;
  }
}

/** Deletes every user whose email starts with `prefix`; returns how many there were. */
export async function deleteUsers(port: AuthPort, prefix: string): Promise<number> {
  // Every page is read before the first delete, which would shift the pages under the cursor.
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await port.admin.listUsers({ limit: 60, ...(cursor ? { cursor } : {}) });
    for (const user of page.users) if (user.email?.toLowerCase().startsWith(prefix)) ids.push(user.id);
    cursor = page.cursor;
  } while (cursor);
  for (const id of ids) await port.admin.deleteUser(id);
  return ids.length;
}

/** Drops every table of the current schema whose name starts with `prefix`; returns their names. */
export async function dropTables(port: DbPort, prefix: string): Promise<string[]> {
  const { rows } = await port.query<{ name: string }>(
    sql`select tablename::text as name from pg_tables where schemaname = current_schema() and starts_with(tablename, ${prefix})`,
  );
  for (const { name } of rows) await port.query(sql`drop table if exists ${sql.ident(name)} cascade`);
  return rows.map((row) => row.name);
}

function glob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Deletes the Redis keys under `keyPrefix` that carry the live prefix (presence keys put the
 * channel, which carries it, after a fixed part); returns how many there were.
 */
export async function deleteKeys(url: string, keyPrefix: string, prefix: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${glob(keyPrefix)}*${glob(prefix)}*`, 'COUNT', 500);
      if (keys.length > 0) deleted += await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  } finally {
    client.disconnect();
  }
}
