import { keyCharactersProblem } from '@switchyard/core/adapter/storage';
import { storageError } from './errors.js';

/**
 * The characters storage-api accepts in an object name (`VALID_OBJECT_KEY` in src/storage/limits.ts
 * of supabase/storage): S3's safe set plus a few that need escaping in a URL. `%` and `#` are not in
 * it. Every one of these round-trips once each path segment is percent-encoded (`keyPath`).
 */
export const KEY_CHARACTERS = "A-Za-z0-9_/!.*'() &$=@;:+,?-";

/** Refuses a list prefix with characters storage-api does not accept (core checked the rest). */
export function validateSupabasePrefix(prefix: string | undefined, operation: string): void {
  const problem = prefix === undefined ? null : keyCharactersProblem(prefix, KEY_CHARACTERS);
  if (problem) throw storageError(operation, 'INVALID_INPUT', `Invalid list prefix for Supabase Storage: ${problem}.`);
}

/**
 * A key as a URL path: each segment percent-encoded, so a space at either end, `?`, `+`, `&` and the
 * rest reach storage-api as they are (fetch trims a trailing space from a raw URL, and `?` would
 * start the query). storage-api decodes the path before looking the object up.
 */
export function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
