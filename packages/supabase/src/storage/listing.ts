import type { ListedObject, ListPage } from '@switchyard/core/adapter/storage';
import type { StorageHttp } from './http.js';

/** One object of a `list-v2` answer (src/storage/object.ts `listObjectsV2` in supabase/storage). */
interface ListedRow {
  name: string;
  updated_at?: string | null;
  metadata?: { size?: number; eTag?: string; lastModified?: string } | null;
}

interface ListV2Answer {
  hasNext?: boolean;
  nextCursor?: string;
  objects?: ListedRow[];
}

function toListed(row: ListedRow): ListedObject {
  const lastModified = row.updated_at ?? row.metadata?.lastModified;
  return {
    key: row.name,
    size: row.metadata?.size ?? 0,
    lastModified: lastModified ? new Date(lastModified) : new Date(0),
    etag: row.metadata?.eTag,
  };
}

/**
 * One page through storage-api's cursor listing, `POST /object/list-v2/{bucket}` without a delimiter:
 * `name LIKE prefix%` (the prefix escaped, case-sensitive) after the cursor's key, ordered by
 * `name COLLATE "C"` (byte order), so each page costs one indexed query whatever the folder's size.
 * The page's cursor is the server's own continuation token, passed back unchanged.
 */
export async function listPage(
  http: StorageHttp,
  bucketPath: string,
  prefix: string,
  limit: number,
  cursor: string | undefined,
): Promise<ListPage> {
  const answer = await http.json<ListV2Answer>('list', {
    method: 'POST',
    path: `/object/list-v2/${bucketPath}`,
    json: { limit, ...(prefix ? { prefix } : {}), ...(cursor ? { cursor } : {}) },
  });
  return {
    items: (answer.objects ?? []).map(toListed),
    cursor: answer.hasNext && answer.nextCursor ? answer.nextCursor : undefined,
  };
}
