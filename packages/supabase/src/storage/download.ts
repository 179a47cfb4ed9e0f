import { type GetOptions, type ObjectInfo, resolveRange, type StoredObject, storedObject } from '@switchyard/core/adapter/storage';
import { StorageApiError } from './api-error.js';
import { storageError } from './errors.js';
import type { ApiResponse } from './http.js';

/** The info of one version of an object, and that version's id (storage-api's `version`). */
export interface VersionInfo {
  info: ObjectInfo;
  version: string | undefined;
}

/** How `get` reaches the object: its info (`GET /object/info/...`) and its bytes (`GET /object/...`). */
export interface ObjectSource {
  info(): Promise<VersionInfo | null>;
  download(range: { start: number; end: number } | undefined): Promise<ApiResponse>;
}

/** Reads of an object that keeps changing give up after this many tries, as a retryable error. */
const ATTEMPTS = 8;

/**
 * A short random pause before trying again: retrying at once under a writer that keeps replacing
 * the object tends to land in the same gap between its info and its bytes (seen in CI: a third of
 * reads gave up while other suites loaded the Storage server). At most ~10 ms × attempt.
 */
const pause = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));

// storage-api serves stored HTML as text/plain (normalizeContentType in src/storage/renderer/renderer.ts).
const served = (contentType: string) => (contentType.includes('text/html') ? 'text/plain' : contentType);

/** The object's whole size as the download response states it. */
function totalSize(response: ApiResponse): number | undefined {
  const range = response.headers.get('content-range');
  const text = range ? range.slice(range.lastIndexOf('/') + 1) : response.headers.get('content-length');
  const size = Number(text);
  return text && Number.isSafeInteger(size) ? size : undefined;
}

/**
 * Whether the bytes being served are those of the version `info` describes. The info and the bytes
 * come from two requests, and an overwrite can land between them; the download's own headers name
 * the version it serves: its etag (the hash of its bytes), size, content type and cache control.
 */
function describes(info: ObjectInfo, response: ApiResponse): boolean {
  const size = totalSize(response);
  return (
    response.headers.get('etag') === (info.etag ?? null) &&
    (size === undefined || size === info.size) &&
    response.headers.get('content-type') === served(info.contentType) &&
    (response.headers.get('cache-control') ?? undefined) === info.cacheControl
  );
}

/** Keeps bytes `start`–`end` (inclusive) of a whole-object stream, for a proxy that dropped the Range header. */
function sliceStream(stream: ReadableStream<Uint8Array>, start: number, end: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const from = Math.max(start - offset, 0);
        const to = Math.min(end + 1 - offset, chunk.byteLength);
        if (from < to) controller.enqueue(chunk.subarray(from, to));
        offset += chunk.byteLength;
      },
    }),
  );
}

/** Whether `resolve` gives `range` (a range past the new end is not the same range). */
function sameRange(resolve: () => { start: number; end: number } | undefined, range: { start: number; end: number } | undefined): boolean {
  try {
    const now = resolve();
    return now?.start === range?.start && now?.end === range?.end;
  } catch {
    return false;
  }
}

/**
 * A download refusal an overwrite can cause: the version the info named was replaced and its bytes
 * removed (the file backend then answers 500, S3 404), or the object shrank under a range (416).
 */
function mayBeOverwrite(error: unknown): boolean {
  return error instanceof StorageApiError && (error.code === 'NoSuchKey' || error.status === 416 || error.status >= 500);
}

/**
 * `get`: the info, then the bytes, checked to be of the same version; storage-api serves them from two
 * requests and an overwrite can land between them. The download's headers (etag, size, type, cache
 * control) must match the info. When they do not, the info is read again: if its version did not
 * change, the object did not change either (versions are never reused), so the download is of it;
 * if the new info matches the download, that is the pair; otherwise both are fetched again. A
 * download refused because its version was just replaced is retried the same way.
 */
export async function consistentGet(key: string, source: ObjectSource, options: GetOptions): Promise<StoredObject> {
  const resolve = (info: ObjectInfo) => resolveRange(options.range, info.size, { provider: 'supabase', operation: 'get' });
  let current = await source.info();
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (!current) throw storageError('get', 'NOT_FOUND', `No object at "${key}".`);
    const range = resolve(current.info);
    let response: ApiResponse;
    try {
      response = await source.download(range);
    } catch (error) {
      if (!mayBeOverwrite(error)) throw error;
      const next = await source.info();
      if (next?.version === current.version) throw error;
      current = next;
      await pause(attempt);
      continue;
    }
    if (!describes(current.info, response)) {
      const next = await source.info().catch(async (error: unknown) => {
        await response.body.cancel().catch(() => undefined);
        throw error;
      });
      const unchanged = next !== null && next.version !== undefined && next.version === current.version;
      const matches = next !== null && sameRange(() => resolve(next.info), range) && describes(next.info, response);
      if (!unchanged && !matches) {
        await response.body.cancel().catch(() => undefined);
        current = next;
        await pause(attempt);
        continue;
      }
      if (matches && next) current = next;
    }
    if (!range) return storedObject(current.info, response.body);
    const body = response.status === 206 ? response.body : sliceStream(response.body, range.start, range.end);
    return storedObject(current.info, body, range);
  }
  throw storageError('get', 'UNAVAILABLE', `"${key}" changed on every one of ${ATTEMPTS} reads (it is being overwritten); retry later.`);
}
