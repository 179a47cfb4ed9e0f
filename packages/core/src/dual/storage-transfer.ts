import type { ObjectInfo, StoragePort } from '../storage/port.js';

/** Streams `key` from one side to the other with its content type, cache control and metadata. */
export async function transfer(from: StoragePort, to: StoragePort, key: string): Promise<ObjectInfo> {
  const object = await from.get(key);
  try {
    return await to.put(key, object.body, {
      contentType: object.info.contentType,
      ...(object.info.cacheControl ? { cacheControl: object.info.cacheControl } : {}),
      metadata: object.info.metadata,
      contentLength: object.info.size,
    });
  } catch (error) {
    await object.body.cancel().catch(() => undefined);
    throw error;
  }
}

/** What differs between two heads, or null when they agree (etags and dates differ by provider and are ignored). */
export function headDifference(primary: ObjectInfo | null, shadow: ObjectInfo | null): string | null {
  if (!primary && !shadow) return null;
  if (!primary) return 'present in the shadow only';
  if (!shadow) return 'missing in the shadow';
  if (primary.size !== shadow.size) return `size ${primary.size} vs ${shadow.size}`;
  if (primary.contentType !== shadow.contentType) return `content type ${primary.contentType} vs ${shadow.contentType}`;
  const a = JSON.stringify(Object.entries(primary.metadata).sort());
  const b = JSON.stringify(Object.entries(shadow.metadata).sort());
  if (a !== b) return 'metadata differs';
  return null;
}
