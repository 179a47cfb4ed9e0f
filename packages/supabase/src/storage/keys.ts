import { validateKey, validatePrefix } from '@switchyard/core';
import { storageError } from './errors.js';

// storage-api accepts only these characters in object names (`isValidKey` in
// https://github.com/supabase/storage/blob/master/src/storage/limits.ts): S3's "safe" set plus a
// few that need URL escaping. "?" is in that set, but supabase-js 2.x puts paths into URLs
// without escaping, so a "?" would end the path; it is refused here too.
const SUPABASE_KEY = /^[A-Za-z0-9_/!\-.*'() &$@=;:+,]*$/;

const ALLOWED = "letters A-Z a-z, digits, and _ / ! - . * ' ( ) space & $ @ = ; : + ,";

/** Validates a key the way core does for every adapter, then against Supabase's narrower character set. */
export function validateSupabaseKey(key: unknown, operation: string): asserts key is string {
  validateKey(key, { provider: 'supabase', operation });
  if (!SUPABASE_KEY.test(key as string)) {
    throw storageError(
      operation,
      'INVALID_INPUT',
      `Invalid storage key for Supabase Storage: it accepts only ${ALLOWED} (no non-ASCII characters).`,
    );
  }
}

/** Validates a list prefix against core's rules and Supabase's character set. */
export function validateSupabasePrefix(prefix: unknown, operation: string): void {
  validatePrefix(prefix, { provider: 'supabase', operation });
  if (typeof prefix === 'string' && !SUPABASE_KEY.test(prefix)) {
    throw storageError(operation, 'INVALID_INPUT', `Invalid list prefix for Supabase Storage: it accepts only ${ALLOWED}.`);
  }
}
