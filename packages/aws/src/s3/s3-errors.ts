import { type ErrorCode, SwitchyardError } from '@switchyard/core/adapter/storage';

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
  ConditionalRequestConflict: 'CONFLICT',
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
  MissingContentLength: 'CONFIG',
  NotImplemented: 'UNSUPPORTED',
  MethodNotAllowed: 'UNSUPPORTED',
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
  405: 'UNSUPPORTED',
  409: 'CONFLICT',
  411: 'CONFIG',
  412: 'PRECONDITION_FAILED',
  416: 'INVALID_INPUT',
  429: 'RATE_LIMITED',
  501: 'UNSUPPORTED',
  503: 'RATE_LIMITED', // S3 answers 503 SlowDown when throttling
};

/**
 * SSE-KMS failures, which S3 reports under the KMS error's name prefixed with `KMS.`
 * (https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html and the key state table,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html). A key that cannot be used
 * is a setting to fix, never a retry.
 */
const KMS: Record<string, { code: ErrorCode; hint: string }> = {
  'KMS.ThrottlingException': {
    code: 'RATE_LIMITED',
    hint: "KMS is throttling requests for the bucket's key; retry with backoff, or enable S3 Bucket Keys to cut KMS calls",
  },
  'KMS.DisabledException': {
    code: 'CONFIG',
    hint: "the KMS key that encrypts this bucket is disabled: enable it, or change the bucket's default encryption",
  },
  'KMS.NotFoundException': {
    code: 'CONFIG',
    hint: 'the KMS key that encrypts this bucket does not exist (deleted, mistyped, or in another region or account): fix the key id in the bucket encryption settings',
  },
  'KMS.KMSInvalidStateException': {
    code: 'CONFIG',
    hint: 'the KMS key that encrypts this bucket cannot be used in its state (pending deletion or pending import): cancel its deletion or finish importing its material',
  },
  'KMS.AccessDeniedException': {
    code: 'FORBIDDEN',
    hint: "the credentials may not use the bucket's KMS key: grant kms:GenerateDataKey (to put) and kms:Decrypt (to get) in the key policy",
  },
  'KMS.KMSInternalException': { code: 'UNAVAILABLE', hint: 'KMS failed; retry later' },
  'KMS.DependencyTimeoutException': { code: 'UNAVAILABLE', hint: 'KMS did not answer in time; retry later' },
  'KMS.KeyUnavailableException': { code: 'UNAVAILABLE', hint: 'the KMS key is temporarily unavailable; retry later' },
};

const UNKNOWN_KMS_HINT = "the bucket's KMS key refused the request: check the key's state and its key policy";
// S3 answers a denial by the key policy as a plain AccessDenied whose message names the KMS action.
const KMS_DENIED = /\bkms:/i;

const HINTS: Partial<Record<ErrorCode, string>> = {
  FORBIDDEN: 'the credentials lack permission for this bucket or key (check the IAM and bucket policies)',
  CONFIG: 'check bucket, region, endpoint, forcePathStyle and credentials',
  RATE_LIMITED: 'S3 is throttling requests; retry with backoff',
  UNAVAILABLE: 'S3 could not be reached or failed; retry later',
  UNSUPPORTED:
    'the endpoint does not implement this request; if it is an S3-compatible server, describe its limits with the `limits` option',
};

const NAMED_HINTS: Record<string, string> = {
  MissingContentLength:
    "the endpoint refuses uploads without a Content-Length (such as the SDK's aws-chunked streaming); set checksums: 'when_required' for it",
  ConditionalRequestConflict: 'another write to this key was in progress; retry, and the condition will be checked again',
  OperationAborted: 'another operation on this key was in progress; retry',
};

const UNKNOWN_REFUSAL =
  'S3 refused the request for a reason this adapter does not know, so retrying will not help: see `cause`, and if the endpoint is an S3-compatible server check that it supports the request (describe its limits with the `limits` option)';

const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|Connection closed|aborted/i;

/** Conflicts S3 says to retry: the other operation will have finished. */
const RETRY_CONFLICTS = new Set(['ConditionalRequestConflict', 'OperationAborted']);

/** The taxonomy code for an S3 error name or HTTP status, or undefined when neither is known. */
export function s3ErrorCode(name: string, status?: number): ErrorCode | undefined {
  const known = KMS[name]?.code ?? BY_NAME[name] ?? (name.startsWith('KMS.') ? 'CONFIG' : undefined);
  const code = known ?? (status === undefined ? undefined : BY_STATUS[status]);
  if (code) return code;
  if (status !== undefined && status >= 500) return 'UNAVAILABLE';
  // Any other 4xx: the request as sent was refused, and sending it again changes nothing.
  return status !== undefined && status >= 400 ? 'INVALID_INPUT' : undefined;
}

function hintFor(name: string, status: number | undefined, message: string, code: ErrorCode): string | undefined {
  if (KMS[name]) return KMS[name].hint;
  if (name.startsWith('KMS.')) return UNKNOWN_KMS_HINT;
  if (code === 'FORBIDDEN' && KMS_DENIED.test(message)) return KMS['KMS.AccessDeniedException']?.hint;
  if (NAMED_HINTS[name]) return NAMED_HINTS[name];
  if (!BY_NAME[name] && status !== undefined && status >= 400 && status < 500 && !BY_STATUS[status]) return UNKNOWN_REFUSAL;
  return HINTS[code];
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
  const hint = hintFor(name, status, e.message ?? '', code);
  return new SwitchyardError({
    code,
    port: 'storage',
    provider: 'aws',
    operation,
    cause: error,
    retryable: code === 'RATE_LIMITED' || code === 'UNAVAILABLE' || (code === 'CONFLICT' && RETRY_CONFLICTS.has(name)),
    message: `S3 ${operation} failed${what}: ${name || 'error'}${status ? ` (HTTP ${status})` : ''}${e.message ? ` — ${e.message}` : ''}${hint ? `; ${hint}` : ''}.`,
  });
}
