import { type ErrorCode, SwitchyardError } from '@switchyard/core';

interface AwsLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

// Error codes: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
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
  OperationAborted: 'CONFLICT',
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
  ExpiredToken: 'CONFIG',
  InvalidToken: 'CONFIG',
  RequestTimeTooSkewed: 'CONFIG',
  NotImplemented: 'UNSUPPORTED',
  InternalError: 'UNAVAILABLE',
  ServiceUnavailable: 'UNAVAILABLE',
  RequestTimeout: 'UNAVAILABLE',
  TimeoutError: 'UNAVAILABLE',
};

const BY_STATUS: Record<number, ErrorCode> = {
  301: 'CONFIG', // the bucket is in another region
  400: 'INVALID_INPUT',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  416: 'INVALID_INPUT',
  429: 'RATE_LIMITED',
  501: 'UNSUPPORTED',
  503: 'RATE_LIMITED', // S3 answers 503 SlowDown when throttling
};

const HINTS: Partial<Record<ErrorCode, string>> = {
  FORBIDDEN: 'the credentials lack permission for this bucket or key (check the IAM and bucket policies)',
  CONFIG: 'check bucket, region, endpoint, forcePathStyle and credentials',
  RATE_LIMITED: 'S3 is throttling requests; retry with backoff',
  UNAVAILABLE: 'S3 could not be reached or failed; retry later',
};

const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|Connection closed/i;

/** The taxonomy code for an S3 error name or HTTP status, or undefined when neither is known. */
export function s3ErrorCode(name: string, status?: number): ErrorCode | undefined {
  const code = BY_NAME[name] ?? (status === undefined ? undefined : BY_STATUS[status]);
  if (code) return code;
  return status !== undefined && status >= 500 ? 'UNAVAILABLE' : undefined;
}

/** Maps an S3 SDK (or network) error onto the taxonomy; the original stays as `cause`. */
export function mapS3Error(error: unknown, operation: string, key?: string): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const e = (error ?? {}) as AwsLikeError;
  const name = e.name ?? e.Code ?? e.code ?? '';
  const status = e.$metadata?.httpStatusCode;
  let code = s3ErrorCode(name, status);
  if (!code && (NETWORK.test(e.message ?? '') || NETWORK.test(e.code ?? ''))) code = 'UNAVAILABLE';
  code ??= 'UNAVAILABLE';
  const what = key === undefined ? '' : ` for "${key}"`;
  const hint = HINTS[code] ? `; ${HINTS[code]}` : '';
  return new SwitchyardError({
    code,
    port: 'storage',
    provider: 'aws',
    operation,
    cause: error,
    retryable: code === 'RATE_LIMITED' || code === 'UNAVAILABLE',
    message: `S3 ${operation} failed${what}: ${name || 'error'}${status ? ` (HTTP ${status})` : ''}${e.message ? ` — ${e.message}` : ''}${hint}.`,
  });
}

/** A key a batch delete could not remove, as listed in `details.failed`. */
export interface FailedDelete {
  key: string;
  code: ErrorCode;
  message: string;
}

/** One error for a batch delete that left keys behind; `details.failed` lists each of them. */
export function deleteFailure(failed: readonly FailedDelete[], total: number, cause?: unknown): SwitchyardError {
  const codes = new Set(failed.map((item) => item.code));
  const [only] = codes;
  const code: ErrorCode = codes.size === 1 && only ? only : 'UNAVAILABLE';
  return new SwitchyardError({
    code,
    port: 'storage',
    provider: 'aws',
    operation: 'delete',
    cause,
    details: { failed },
    message: `${failed.length} of ${total} objects could not be deleted; see details.failed.`,
  });
}
