import { SwitchyardError } from '../errors.js';
import type { ObjectInfo, PutOptions, StoragePort } from '../storage/port.js';

/** What `copyObject` did. */
export type CopyOutcome =
  /** The source's version now is the target's. */
  | 'copied'
  /** The target already held the same object. */
  | 'unchanged'
  /** The target holds a version written after the source's (or in the same second): left as is. */
  | 'kept-newer'
  /** The target changed between the look and the write: the write did not happen. */
  | 'raced'
  /** The source has no such object (any more). */
  | 'source-missing';

export interface CopyOptions {
  /**
   * A target version written after the source's: `keep` it (backfill, which runs while the app
   * writes), or `replace` it (repair, whose journal says which side is right).
   */
  newerTarget: 'keep' | 'replace';
  /** Copy only into an empty key (copy-forward of a fallback read). */
  onlyIfMissing?: boolean;
  /**
   * The target's head as the caller just looked at it (`null`: no object), so the copy does not
   * look again; the write stays conditional on it where the target can check (`conditionalPut`).
   */
  seen?: ObjectInfo | null;
}

/**
 * A plain MD5 etag (S3 single-part uploads, Supabase Storage, local), or undefined when etags
 * cannot be compared across providers: multipart etags (`…-3`) differ for equal bytes.
 */
export function comparableEtag(etag: string | undefined): string | undefined {
  const plain = etag?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
  return plain && /^[0-9a-f]{32}$/.test(plain) ? plain : undefined;
}

/** True when the two sides provably hold the same object: size, type, metadata and a comparable etag. */
export function provablySame(a: ObjectInfo, b: ObjectInfo): boolean {
  const etagA = comparableEtag(a.etag);
  return headDifference(a, b) === null && etagA !== undefined && etagA === comparableEtag(b.etag);
}

/** Whole seconds: providers report modification times at one-second precision (HTTP dates). */
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The write condition that makes the put fail if the target is no longer as `seen`, where the target can check it. */
function condition(to: StoragePort, seen: ObjectInfo | null): Pick<PutOptions, 'ifMatch' | 'ifNoneMatch'> {
  if (!to.capabilities.conditionalPut) return {};
  if (!seen) return { ifNoneMatch: '*' };
  return seen.etag ? { ifMatch: seen.etag } : {};
}

/**
 * Copies `key` from one side to the other without ever putting back an older version over a newer
 * one written meanwhile. The target is looked at first, then the source read, and the write is
 * conditional on the target being as it was seen (`ifMatch` / `ifNoneMatch` where the target has
 * `conditionalPut`; otherwise its etag is checked again just before the write, which narrows but
 * cannot close the window). A write that lands at the target after the look makes the copy `raced`.
 */
export async function copyObject(from: StoragePort, to: StoragePort, key: string, options: CopyOptions): Promise<CopyOutcome> {
  const seen = options.seen !== undefined ? options.seen : await to.head(key);
  if (seen && options.onlyIfMissing) return 'kept-newer';
  let object: Awaited<ReturnType<StoragePort['get']>>;
  try {
    object = await from.get(key);
  } catch (error) {
    if (SwitchyardError.hasCode(error, 'NOT_FOUND')) return 'source-missing';
    throw error;
  }
  const source = object.info;
  const skip = (outcome: CopyOutcome) =>
    object.body.cancel().then(
      () => outcome,
      () => outcome,
    );
  if (seen) {
    if (provablySame(source, seen)) return skip('unchanged');
    if (options.newerTarget === 'keep' && seconds(seen.lastModified) >= seconds(source.lastModified)) {
      // A copy made earlier is newer than its source: equal heads with etags that cannot be
      // compared (different providers) are taken as that copy, not as a newer version.
      return skip(headDifference(source, seen) === null ? 'unchanged' : 'kept-newer');
    }
  }
  const guard = condition(to, seen);
  if (!to.capabilities.conditionalPut) {
    const again = await to.head(key);
    if ((again?.etag ?? null) !== (seen?.etag ?? null) || (again === null) !== (seen === null)) return skip('raced');
  }
  try {
    await to.put(key, object.body, {
      contentType: source.contentType,
      ...(source.cacheControl ? { cacheControl: source.cacheControl } : {}),
      metadata: source.metadata,
      contentLength: source.size,
      ...guard,
    });
  } catch (error) {
    await object.body.cancel().catch(() => undefined);
    if (SwitchyardError.hasCode(error, 'PRECONDITION_FAILED')) return 'raced';
    throw error;
  }
  return 'copied';
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
