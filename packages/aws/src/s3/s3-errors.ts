import { type ErrorCode, SwitchyardError } from '@switchyard/core';

interface AwsLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const BY_NAME: Record<string, ErrorCode> = {
  NoSuchKey: 'NOT_FOUND',
  NotFound: 'NOT_FOUND',
  AccessDenied: 'FORBIDDEN',
  Forbidden: 'FORBIDDEN',
  PreconditionFailed: 'PRECONDITION_FAILED',
  InvalidRange: 'INVALID_INPUT',
  EntityTooLarge: 'INVALID_INPUT',
  InvalidArgument: 'INVALID_INPUT',
  KeyTooLongError: 'INVALID_INPUT',
  SlowDown: 'RATE_LIMITED',
  Throttling: 'RATE_LIMITED',
  ThrottlingException: 'RATE_LIMITED',
  TooManyRequestsException: 'RATE_LIMITED',
  RequestLimitExceeded: 'RATE_LIMITED',
  NoSuchBucket: 'CONFIG',
  InvalidAccessKeyId: 'CONFIG',
  SignatureDoesNotMatch: 'CONFIG',
  InvalidBucketName: 'CONFIG',
  PermanentRedirect: 'CONFIG',
  AuthorizationHeaderMalformed: 'CONFIG',
  InternalError: 'UNAVAILABLE',
  ServiceUnavailable: 'UNAVAILABLE',
  RequestTimeout: 'UNAVAILABLE',
  TimeoutError: 'UNAVAILABLE',
};

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  412: 'PRECONDITION_FAILED',
  416: 'INVALID_INPUT',
  429: 'RATE_LIMITED',
  503: 'RATE_LIMITED', // S3 answers 503 SlowDown when throttling
};

const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|Connection closed/i;

/** Maps an S3 SDK (or network) error onto the taxonomy; the original stays as `cause`. */
export function mapS3Error(error: unknown, operation: string, key?: string): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const e = (error ?? {}) as AwsLikeError;
  const name = e.name ?? e.Code ?? e.code ?? '';
  const status = e.$metadata?.httpStatusCode;
  let code: ErrorCode | undefined = BY_NAME[name] ?? (status === undefined ? undefined : BY_STATUS[status]);
  if (!code && status !== undefined && status >= 500) code = 'UNAVAILABLE';
  if (!code && (NETWORK.test(e.message ?? '') || NETWORK.test(e.code ?? ''))) code = 'UNAVAILABLE';
  code ??= 'UNAVAILABLE';
  const what = key === undefined ? '' : ` for "${key}"`;
  return new SwitchyardError({
    code,
    port: 'storage',
    provider: 'aws',
    operation,
    cause: error,
    retryable: code === 'RATE_LIMITED' || code === 'UNAVAILABLE',
    message: `S3 ${operation} failed${what}: ${name || 'error'}${status ? ` (HTTP ${status})` : ''}${e.message ? ` — ${e.message}` : ''}`,
  });
}
