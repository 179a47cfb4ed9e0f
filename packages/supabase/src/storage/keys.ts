import { keyCharactersProblem, keySegmentProblem, validateKey, validatePrefix } from '@switchyard/core';
import { storageError } from './errors.js';

/**
 * The characters storage-api accepts in an object name (`VALID_OBJECT_KEY` in src/storage/limits.ts
 * of supabase/storage): S3's safe set plus a few that need escaping in a URL. `%` and `#` are not in
 * it. Every one of these round-trips once each path segment is percent-encoded (`keyPath`).
 */
export const KEY_CHARACTERS = "A-Za-z0-9_/!.*'() &$=@;:+,?-";

/** Validates a key the way core does for every adapter, then against what Supabase Storage can hold. */
export function validateSupabaseKey(key: unknown, operation: string, maxKeySegmentBytes: number | undefined): asserts key is string {
  validateKey(key, { provider: 'supabase', operation });
  const problem = keyCharactersProblem(key as string, KEY_CHARACTERS) ?? keySegmentProblem(key as string, maxKeySegmentBytes);
  if (problem) throw storageError(operation, 'INVALID_INPUT', `Invalid storage key for Supabase Storage: ${problem}.`);
}

/** Validates a list prefix against core's rules and Supabase's character set. */
export function validateSupabasePrefix(prefix: unknown, operation: string): void {
  validatePrefix(prefix, { provider: 'supabase', operation });
  const problem = typeof prefix === 'string' ? keyCharactersProblem(prefix, KEY_CHARACTERS) : null;
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
