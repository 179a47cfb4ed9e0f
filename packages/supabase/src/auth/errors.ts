import { adapterErrors, type ErrorCode, SwitchyardError, type UnauthenticatedReason } from '@switchyard/core/adapter/auth';

/** Errors with this adapter's port and provider (`error`, `refused`). */
export const errors = adapterErrors('auth', 'supabase');

interface AuthErrorShape {
  name?: string;
  message?: string;
  status?: number;
  code?: string;
}

type Mapping = { code: ErrorCode; reason?: UnauthenticatedReason; message: string };

// GoTrue error codes: https://supabase.com/docs/guides/auth/debugging/error-codes and
// supabase/auth internal/api/apierrors/errorcode.go.
const BY_GOTRUE_CODE: Record<string, Mapping> = {
  // GoTrue answers a wrong, an already used and an expired code or link alike (verify.go:
  // "Token has expired or is invalid"), so the reason cannot be narrower than this.
  otp_expired: {
    code: 'UNAUTHENTICATED',
    reason: 'invalid',
    message: 'The code or link is wrong, already used or expired; request a new email',
  },
  invalid_credentials: { code: 'UNAUTHENTICATED', reason: 'invalid', message: 'The credentials are not valid' },
  bad_jwt: { code: 'UNAUTHENTICATED', reason: 'invalid', message: 'The access token is not valid' },
  session_not_found: { code: 'UNAUTHENTICATED', reason: 'revoked', message: 'The session has ended; sign in again' },
  session_expired: { code: 'UNAUTHENTICATED', reason: 'expired', message: 'The session has expired; sign in again' },
  // Signing out deletes the session and its refresh tokens, so GoTrue reports a signed-out
  // session's refresh token exactly like one it never issued.
  refresh_token_not_found: {
    code: 'UNAUTHENTICATED',
    reason: 'invalid',
    message: 'The refresh token is unknown or its session has ended; sign in again',
  },
  refresh_token_already_used: {
    code: 'UNAUTHENTICATED',
    reason: 'revoked',
    message: 'The refresh token was already used; the session has been ended. Sign in again',
  },
  user_not_found: { code: 'NOT_FOUND', message: 'No user has this id or email' },
  otp_disabled: { code: 'NOT_FOUND', message: 'No user has this email address and createUser is false' },
  email_exists: { code: 'CONFLICT', message: 'A user with this email already exists' },
  user_already_exists: { code: 'CONFLICT', message: 'A user with this id or email already exists' },
  conflict: { code: 'CONFLICT', message: 'The request conflicts with another change; retry' },
  signup_disabled: { code: 'FORBIDDEN', message: 'Sign-ups are disabled for this project' },
  email_address_not_authorized: { code: 'FORBIDDEN', message: 'The project may not send email to this address (configure custom SMTP)' },
  over_email_send_rate_limit: { code: 'RATE_LIMITED', message: 'Too many emails to this address; wait before asking again' },
  over_request_rate_limit: { code: 'RATE_LIMITED', message: 'Too many requests from this client; retry later' },
  email_address_invalid: { code: 'INVALID_INPUT', message: 'The email address is not accepted' },
  validation_failed: { code: 'INVALID_INPUT', message: 'The request was not valid' },
  bad_json: { code: 'INVALID_INPUT', message: 'The request was not valid JSON' },
  not_admin: { code: 'CONFIG', message: 'The admin API needs the service-role key; check SUPABASE_SERVICE_ROLE_KEY' },
  no_authorization: { code: 'CONFIG', message: 'The request carried no key; check the Supabase keys' },
};

function byStatus(status: number | undefined): Mapping {
  if (status === 429) return { code: 'RATE_LIMITED', message: 'Supabase Auth is rate limiting; retry later' };
  if (status === undefined || status === 0 || status >= 500)
    return { code: 'UNAVAILABLE', message: 'Supabase Auth did not answer; retry later' };
  if (status === 401) return { code: 'UNAUTHENTICATED', reason: 'invalid', message: 'The credential was refused' };
  if (status === 403) return { code: 'FORBIDDEN', message: 'The request is not allowed' };
  if (status === 404) return { code: 'NOT_FOUND', message: 'Not found' };
  return { code: 'INVALID_INPUT', message: 'The request was refused' };
}

/**
 * Maps an auth-js error (`AuthApiError` with `status` and GoTrue's `error_code` as `code`,
 * `AuthSessionMissingError`, `AuthRetryableFetchError` for 5xx and network failures) onto the
 * taxonomy. Messages are written here, not copied, so no token or address from the request leaks.
 */
export function mapAuthError(operation: string, error: unknown): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as AuthErrorShape;
  let mapping: Mapping;
  if (shape.name === 'AuthSessionMissingError') mapping = BY_GOTRUE_CODE.session_not_found!;
  else if (shape.code && BY_GOTRUE_CODE[shape.code]) mapping = BY_GOTRUE_CODE[shape.code]!;
  else mapping = byStatus(shape.name === 'AuthApiError' || shape.name === 'AuthRetryableFetchError' ? shape.status : undefined);
  if (mapping.code === 'UNAUTHENTICATED' && shape.code === 'bad_jwt' && /expired/i.test(shape.message ?? '')) {
    mapping = { code: 'UNAUTHENTICATED', reason: 'expired', message: 'The access token has expired; refresh the session' };
  }
  const admin = operation.startsWith('admin.');
  if (admin && mapping.code === 'UNAUTHENTICATED') mapping = BY_GOTRUE_CODE.not_admin!;
  const status = shape.status ? ` (HTTP ${shape.status}${shape.code ? `, ${shape.code}` : ''})` : '';
  return errors.error(operation, mapping.code, `${mapping.message}${status}.`, {
    cause: error,
    ...(mapping.reason ? { reason: mapping.reason } : {}),
  });
}
