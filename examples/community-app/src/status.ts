import type { ErrorCode } from '@switchyard/core';

/** The HTTP status for each Switchyard error code, for any server in front of the ports. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  // A provider without the capability: the server's configuration, not the request, is at fault.
  UNSUPPORTED: 501,
  UNAVAILABLE: 503,
  CONFIG: 500,
};

/** The HTTP status for an error code; anything unknown is the server's fault. */
export function statusFor(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}
