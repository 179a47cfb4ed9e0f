import type { ListedObject } from '@switchyard/core';

/** One entry of a storage-js `list()` page: a file (with `id`) or a virtual folder (without). */
export interface FolderEntry {
  name: string;
  id: string | null;
  updated_at: string | null;
  metadata: { size?: number; eTag?: string; lastModified?: string } | null;
}

/** Every entry directly inside `folder` ("" for the root, else without a trailing "/") whose name starts with `search`. */
export type ListFolder = (folder: string, search: string) => Promise<FolderEntry[]>;

/** Encodes the last key of a page; the next page starts strictly after it. */
export function encodeCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

function toListed(key: string, entry: FolderEntry): ListedObject {
  const lastModified = entry.updated_at ?? entry.metadata?.lastModified;
  return {
    key,
    size: entry.metadata?.size ?? 0,
    lastModified: lastModified ? new Date(lastModified) : new Date(0),
    etag: entry.metadata?.eTag,
  };
}

// Supabase keys are ASCII (see keys.ts), so UTF-16 order is byte order.
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lists keys under `prefix` in byte order, strictly after `after`, as S3 would: Supabase only
 * lists one virtual folder at a time, by offset, so this walks folders depth-first, visiting a
 * folder only when it can hold keys after the cursor. The cursor is the last key returned, never
 * an offset, so objects added or removed between pages cannot make a page skip or repeat keys.
 * Collects `limit + 1` keys to learn whether another page exists.
 */
export async function walkKeys(listFolder: ListFolder, prefix: string, after: string | undefined, limit: number): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  const cut = prefix.lastIndexOf('/') + 1;

  async function walk(folder: string, search: string): Promise<void> {
    const entries = await listFolder(folder.replace(/\/$/, ''), search);
    const children = entries
      // `search` is a case-insensitive LIKE on the server; the port's prefix is exact.
      .filter((entry) => entry.name.startsWith(search))
      .map((entry) => ({ entry, path: `${folder}${entry.name}${entry.id === null ? '/' : ''}` }))
      .sort((a, b) => byteOrder(a.path, b.path));
    for (const { entry, path } of children) {
      if (out.length > limit) return;
      if (entry.id !== null) {
        if (after === undefined || path > after) out.push(toListed(path, entry));
      } else if (after === undefined || after < path || after.startsWith(path)) {
        await walk(path, '');
      }
    }
  }

  await walk(prefix.slice(0, cut), prefix.slice(cut));
  return out;
}
