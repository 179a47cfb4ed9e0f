import { adapterErrors, type ErrorCode, SwitchyardError } from '@switchyard/core/adapter/storage';
import { StorageApiError } from './api-error.js';

export const errors = adapterErrors('storage', 'supabase');

/** A storage error with this adapter's context. */
export function storageError(operation: string, code: ErrorCode, message: string, cause?: unknown, retryable?: boolean): SwitchyardError {
  return errors.error(operation, code, message, { cause, ...(retryable === undefined ? {} : { retryable }) });
}

/** The service-role key was refused: not a key this project signed, expired, or not a JWT at all. */
export function keyRefused(operation: string, cause: unknown): SwitchyardError {
  return storageError(
    operation,
    'CONFIG',
    'Supabase Storage refused the service-role key: set SUPABASE_SERVICE_ROLE_KEY (serviceRoleKey) to the service_role key of this project (Project Settings → API).',
    cause,
  );
}

/** The bucket the adapter was given does not exist (or the key cannot see it). */
export function bucketMissing(operation: string, bucket: string, cause: unknown): SwitchyardError {
  return storageError(
    operation,
    'CONFIG',
    `Supabase Storage has no bucket "${bucket}": create it, or set SUPABASE_STORAGE_BUCKET (bucket) to an existing one.`,
    cause,
  );
}

/** The URL does not lead to a Storage API: a gateway's 404, or something that does not answer JSON. */
export function urlWrong(operation: string, cause: unknown): SwitchyardError {
  return storageError(
    operation,
    'CONFIG',
    'SUPABASE_URL (url) does not lead to Supabase Storage: give the project URL, https://<ref>.supabase.co, without /storage/v1.',
    cause,
  );
}

// storage-api's own messages for a bearer token it could not verify (jose and its JWT checks).
const KEY_PROBLEM = /signature verification failed|invalid compact jws|jwt|jws|token/i;

/** The file backend names each segment a file; most file systems stop at 255 bytes (ENAMETOOLONG). */
const FILE_NAME_BYTES = 255;

function longestSegmentBytes(key: string): number {
  return Math.max(...key.split('/').map((segment) => new TextEncoder().encode(segment).length));
}

const BY_CODE: Record<string, ErrorCode> = {
  NoSuchKey: 'NOT_FOUND',
  KeyAlreadyExists: 'CONFLICT',
  EntityTooLarge: 'INVALID_INPUT',
  InvalidMimeType: 'INVALID_INPUT',
  InvalidRange: 'INVALID_INPUT',
  InvalidKey: 'INVALID_INPUT',
  InvalidRequest: 'INVALID_INPUT',
  SlowDown: 'RATE_LIMITED',
};

const BY_STATUS: Record<number, ErrorCode> = {
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'INVALID_INPUT',
  415: 'INVALID_INPUT',
  416: 'INVALID_INPUT',
  429: 'RATE_LIMITED',
};

const HINTS: Partial<Record<string, string>> = {
  EntityTooLarge: "the object is larger than the bucket's file_size_limit or the project's upload limit",
  InvalidMimeType: "the bucket's allowed_mime_types do not include this content type",
  KeyAlreadyExists: 'an object already has this key',
  SlowDown: 'Supabase Storage is rate limiting this project; retry later',
};

/**
 * Maps what the Storage API answered onto the Switchyard taxonomy, keeping it as `cause`. A refused
 * key is `CONFIG`; `NoSuchBucket` is left to the caller, who knows whether the bucket or the key is
 * at fault (see `BucketCheck.explain`). `key` is the object the call was about, when there is one.
 */
export function mapRefusal(operation: string, error: unknown, key?: string): SwitchyardError {
  if (!(error instanceof StorageApiError)) {
    return SwitchyardError.isInstance(error)
      ? error
      : storageError(operation, 'UNAVAILABLE', `Supabase Storage failed during ${operation}; retry later.`, error);
  }
  if (error.status === 401 || error.code === 'InvalidJWT' || (error.status === 403 && KEY_PROBLEM.test(error.message))) {
    return keyRefused(operation, error);
  }
  if (error.status === 403) {
    return storageError(
      operation,
      'FORBIDDEN',
      `Supabase Storage refused ${operation}: ${error.message} (a row-level security policy on storage.objects, or a key without the service_role role).`,
      error,
    );
  }
  if (error.code === 'FeatureNotEnabled') {
    return storageError(
      operation,
      'CONFIG',
      `This Supabase Storage server does not offer ${operation} as the adapter needs it: ${error.message}.`,
      error,
    );
  }
  if (error.status >= 500 && key !== undefined && longestSegmentBytes(key) > FILE_NAME_BYTES) {
    // Self-hosted storage-api on its file backend answers a segment it cannot name a file with a
    // bare 500 (ENAMETOOLONG); no retry can store it.
    return storageError(
      operation,
      'INVALID_INPUT',
      `Supabase Storage could not store a key segment of ${longestSegmentBytes(key)} bytes: its file backend holds at most ${FILE_NAME_BYTES} bytes between two "/" (set maxKeySegmentBytes: 255, SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES, to refuse such keys before any request).`,
      error,
      false,
    );
  }
  const code: ErrorCode =
    (error.code ? BY_CODE[error.code] : undefined) ?? BY_STATUS[error.status] ?? (error.status >= 500 ? 'UNAVAILABLE' : 'INVALID_INPUT');
  const hint = (error.code && HINTS[error.code]) ?? (code === 'UNAVAILABLE' ? 'retry later' : undefined);
  return storageError(
    operation,
    code,
    `Supabase Storage refused ${operation} with status ${error.status}${error.code ? ` ${error.code}` : ''}: ${error.message}${hint ? ` (${hint})` : ''}.`,
    error,
  );
}
