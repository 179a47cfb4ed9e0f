import { SwitchyardError } from '../errors.js';
import type { ListOptions, PutOptions } from './port.js';

interface Context {
  provider: string;
  operation: string;
}

function invalid(context: Context, message: string): SwitchyardError {
  return new SwitchyardError({ code: 'INVALID_INPUT', port: 'storage', ...context, message });
}

const METADATA_KEY = /^[a-z0-9][a-z0-9-]*$/;
// Metadata travels in HTTP headers on S3 and Supabase: printable ASCII only.
const METADATA_VALUE = /^[\x20-\x7e]*$/;
/** S3 caps user metadata at 2 KB; the same limit keeps every provider interchangeable. */
export const MAX_METADATA_BYTES = 2048;
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/;

/** Throws `INVALID_INPUT` for metadata, content type or length no provider could store faithfully. */
export function validatePutOptions(options: PutOptions | undefined, context: Context): void {
  if (!options) return;
  if (options.contentType !== undefined && !CONTENT_TYPE.test(options.contentType)) {
    throw invalid(context, `Invalid contentType "${options.contentType}": use a MIME type such as "image/jpeg".`);
  }
  if (options.contentLength !== undefined && !(Number.isSafeInteger(options.contentLength) && options.contentLength >= 0)) {
    throw invalid(context, 'contentLength must be a non-negative integer.');
  }
  if (options.ifMatch !== undefined && (typeof options.ifMatch !== 'string' || options.ifMatch === '')) {
    throw invalid(context, 'ifMatch must be the non-empty etag of the version to replace.');
  }
  if (options.ifNoneMatch !== undefined && options.ifNoneMatch !== '*') {
    throw invalid(context, 'ifNoneMatch takes only "*" (write only when the key is free).');
  }
  if (options.ifMatch !== undefined && options.ifNoneMatch !== undefined) {
    throw invalid(context, 'Give ifMatch or ifNoneMatch, not both.');
  }
  const metadata = options.metadata ?? {};
  let size = 0;
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEY.test(key)) {
      throw invalid(context, `Invalid metadata key "${key}": use lower-case letters, digits and "-".`);
    }
    if (typeof value !== 'string' || !METADATA_VALUE.test(value)) {
      throw invalid(context, `Invalid metadata value for "${key}": use printable ASCII (encode other text first).`);
    }
    size += key.length + value.length;
  }
  if (size > MAX_METADATA_BYTES) {
    throw invalid(context, `Metadata is ${size} bytes; keep keys and values under ${MAX_METADATA_BYTES} bytes in total.`);
  }
}

/** Throws `INVALID_INPUT` unless `limit` is 1–1000. */
export function validateListOptions(options: ListOptions | undefined, context: Context): void {
  const limit = options?.limit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
    throw invalid(context, `list limit must be an integer from 1 to 1000 (got ${String(limit)}).`);
  }
  if (options?.cursor !== undefined && (typeof options.cursor !== 'string' || options.cursor === '')) {
    throw invalid(context, 'list cursor must be the non-empty string returned by the previous page.');
  }
}

/** S3's presigning limit (7 days) is the strictest; longer links should be re-issued. */
export const MAX_EXPIRES_IN = 7 * 24 * 3600;

/** Returns `expiresIn` or its default, throwing `INVALID_INPUT` when out of range. */
export function resolveExpiresIn(expiresIn: number | undefined, fallback: number, context: Context): number {
  const value = expiresIn ?? fallback;
  if (!(Number.isInteger(value) && value >= 1 && value <= MAX_EXPIRES_IN)) {
    throw invalid(context, `expiresIn must be a whole number of seconds from 1 to ${MAX_EXPIRES_IN} (got ${String(expiresIn)}).`);
  }
  return value;
}

/** Throws `INVALID_INPUT` unless `maxBytes` is a positive integer. */
export function validateMaxBytes(maxBytes: number | undefined, context: Context): void {
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 1)) {
    throw invalid(context, `maxBytes must be a positive whole number of bytes (got ${String(maxBytes)}).`);
  }
}

/** Throws `INVALID_INPUT` for a range that cannot be satisfied by an object of `size` bytes. */
export function resolveRange(
  range: { start: number; end?: number } | undefined,
  size: number,
  context: Context,
): { start: number; end: number } | undefined {
  if (!range) return undefined;
  const { start } = range;
  const end = range.end ?? Math.max(size - 1, start);
  if (!(Number.isSafeInteger(start) && start >= 0 && Number.isSafeInteger(end) && end >= start)) {
    throw invalid(context, `Invalid range ${start}-${String(range.end)}: start must be >= 0 and end >= start.`);
  }
  if (start >= size) {
    throw invalid(context, `Range starts at byte ${start} but the object has ${size} bytes.`);
  }
  return { start: range.start, end: Math.min(end, size - 1) };
}
