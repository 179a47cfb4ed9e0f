import type { StorageHttp } from './http.js';

/** storage-api deletes at most 1,000 names per request where hard limits are on (src/storage/limits.ts). */
const BATCH = 1000;

/**
 * Deletes `keys` with `DELETE /object/{bucket}` `{prefixes}` in batches (missing names are no error;
 * an empty list is refused by the server, so none is sent). Stops at the first batch that fails and
 * says from which key on nothing is known to be deleted.
 */
export async function removeAll(
  http: StorageHttp,
  bucketPath: string,
  keys: readonly string[],
): Promise<{ failedFrom: number; error: unknown } | undefined> {
  for (let from = 0; from < keys.length; from += BATCH) {
    try {
      await http.json('delete', { method: 'DELETE', path: `/object/${bucketPath}`, json: { prefixes: keys.slice(from, from + BATCH) } });
    } catch (error) {
      return { failedFrom: from, error };
    }
  }
  return undefined;
}
