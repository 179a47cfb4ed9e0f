import { type ErrorCode, SwitchyardError } from '@switchyard/core';

const PROVIDER = 'supabase';

/** A storage error with this adapter's context. */
export function storageError(operation: string, code: ErrorCode, message: string, cause?: unknown): SwitchyardError {
  return new SwitchyardError({ code, port: 'storage', provider: PROVIDER, operation, message, cause });
}

interface StorageErrorShape {
  name?: string;
  message?: string;
  status?: number;
  statusCode?: string;
  code?: string;
}

// Older storage-api versions answer some errors with HTTP 400 and the real status in the body's
// `statusCode` (e.g. "404" for a missing object); storage-js copies that into `statusCode`.
function effectiveStatus(error: StorageErrorShape): number | undefined {
  const fromBody = Number(error.statusCode);
  if (Number.isInteger(fromBody) && fromBody >= 400) return fromBody;
  return error.status;
}

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'CONFIG',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'INVALID_INPUT',
  416: 'INVALID_INPUT',
  429: 'RATE_LIMITED',
};

const HINTS: Partial<Record<ErrorCode, string>> = {
  CONFIG: 'check SUPABASE_SERVICE_ROLE_KEY and SUPABASE_URL',
  FORBIDDEN: 'the key may not act on this bucket (RLS policy or bucket settings)',
  NOT_FOUND: 'no such object (or bucket)',
  CONFLICT: 'the object already exists',
  RATE_LIMITED: 'Supabase Storage is rate limiting this project; retry later',
  UNAVAILABLE: 'Supabase Storage did not answer; retry later',
};

/**
 * Maps the `error` of a storage-js `{data, error}` result (a `StorageApiError` carrying the HTTP
 * status, or a `StorageUnknownError` for a failed request) onto the Switchyard taxonomy.
 */
export function mapStorageError(operation: string, error: unknown): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as StorageErrorShape;
  const status = shape.name === 'StorageApiError' ? effectiveStatus(shape) : undefined;
  let code: ErrorCode = 'UNAVAILABLE';
  if (status !== undefined) code = BY_STATUS[status] ?? (status >= 500 ? 'UNAVAILABLE' : 'INVALID_INPUT');
  const detail = shape.message ? `: ${shape.message}` : '';
  const hint = HINTS[code] ? ` (${HINTS[code]})` : '';
  return storageError(
    operation,
    code,
    `Supabase Storage refused ${operation}${status ? ` with HTTP ${status}` : ''}${detail}${hint}.`,
    error,
  );
}
