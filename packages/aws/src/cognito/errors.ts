import { adapterErrors, isNetworkError, SwitchyardError } from '@switchyard/core/adapter/auth';

/** SwitchyardErrors of the Cognito AuthPort: `authError(operation, code, message, extra)`, `refused(operation, reason, message, cause)`. */
export const { error: authError, refused } = adapterErrors('auth', 'aws');

// The magic-link triggers throw errors carrying these markers; Cognito relays a trigger's error
// message to the caller as "<Trigger> failed with error <message>." (UserLambdaValidationException).
const LINK_MARKER = /SWITCHYARD_LINK_([A-Z_]+)/;

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function linkError(operation: string, marker: string, cause: unknown): SwitchyardError {
  switch (marker) {
    case 'EXPIRED':
      return refused(operation, 'expired', 'This sign-in link has expired; request a new email.', cause);
    case 'USED':
      return refused(operation, 'revoked', 'This sign-in link was already used; request a new email.', cause);
    case 'TOO_SOON':
      return authError(operation, 'RATE_LIMITED', 'A sign-in link was sent to this address moments ago; wait before asking again.', {
        cause,
      });
    case 'REDIRECT_NOT_ALLOWED':
      return authError(operation, 'INVALID_INPUT', 'redirectTo is not on the allow-list of the magic-link triggers (allowedRedirects).', {
        cause,
      });
    case 'NO_EMAIL':
      return authError(operation, 'INVALID_INPUT', 'This user has no email address to send a sign-in link to.', { cause });
    default:
      return refused(operation, 'invalid', 'The sign-in link is not valid; request a new email.', cause);
  }
}

/** NotAuthorizedException covers many situations; Cognito tells them apart only by message. */
function notAuthorized(operation: string, text: string, cause: unknown): SwitchyardError {
  if (/secret hash/i.test(text)) {
    return authError(operation, 'CONFIG', 'Cognito could not verify SECRET_HASH: check clientSecret matches the app client.', { cause });
  }
  if (/disabled/i.test(text)) return authError(operation, 'FORBIDDEN', 'This user is disabled in the user pool.', { cause });
  if (/auth flow not enabled|not enabled for this client/i.test(text)) {
    return authError(operation, 'CONFIG', `The app client does not allow this auth flow: ${text.slice(0, 160)}`, { cause });
  }
  if (/expired/i.test(text)) return refused(operation, 'expired', 'The code, session or token has expired; sign in again.', cause);
  if (/revoked|only be used once/i.test(text)) {
    return refused(operation, 'revoked', 'The code, session or token was already used or revoked; sign in again.', cause);
  }
  return refused(operation, 'invalid', 'Cognito refused the credentials; sign in again.', cause);
}

function byName(operation: string, name: string, text: string, cause: unknown): SwitchyardError | undefined {
  switch (name) {
    case 'NotAuthorizedException':
      return notAuthorized(operation, text, cause);
    case 'CodeMismatchException':
      return refused(operation, 'invalid', 'The code is not valid.', cause);
    case 'ExpiredCodeException':
      return refused(operation, 'expired', 'The code has expired; request a new email.', cause);
    case 'UserNotFoundException':
      return authError(operation, 'NOT_FOUND', 'No user in the pool matches.', { cause });
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return authError(operation, 'CONFLICT', 'A user with this email or id already exists.', { cause });
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
    case 'CodeDeliveryFailureException':
      return authError(operation, 'RATE_LIMITED', `Cognito is throttling this call (${name}); retry later.`, { cause, retryable: true });
    case 'InvalidParameterException':
      if (/auth flow|not enabled|not supported|AllowedFirstAuthFactors/i.test(text)) {
        return authError(operation, 'CONFIG', `The user pool or app client is not set up for this: ${text.slice(0, 200)}`, { cause });
      }
      return authError(operation, 'INVALID_INPUT', `Cognito refused the parameters: ${text.slice(0, 200)}`, { cause });
    case 'ResourceNotFoundException':
      return authError(operation, 'CONFIG', 'The user pool or app client does not exist: check userPoolId, clientId and region.', {
        cause,
      });
    case 'UserNotConfirmedException':
    case 'PasswordResetRequiredException':
      return authError(operation, 'FORBIDDEN', `The user cannot sign in yet (${name}).`, { cause });
    case 'AccessDeniedException':
      return authError(operation, 'FORBIDDEN', 'The AWS credentials may not call this Cognito action: check the IAM policy.', { cause });
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    case 'CredentialsProviderError':
      return authError(operation, 'CONFIG', 'The AWS credentials were refused or missing: check credentials and region.', { cause });
    case 'FeatureUnavailableInTierException':
    case 'InvalidUserPoolConfigurationException':
    case 'InvalidLambdaResponseException':
    case 'UnexpectedLambdaException':
      return authError(operation, 'CONFIG', `The user pool is not set up for this sign-in (${name}): ${text.slice(0, 160)}`, { cause });
    case 'UserLambdaValidationException':
      return authError(operation, 'INVALID_INPUT', `A user pool trigger refused the request: ${text.slice(0, 160)}`, { cause });
    case 'InternalErrorException':
      return authError(operation, 'UNAVAILABLE', 'Cognito had an internal error; retry.', { cause, retryable: true });
    default:
      return undefined;
  }
}

/** Turns anything the Cognito SDK throws into a SwitchyardError, keeping the original as `cause`. */
export function mapCognitoError(error: unknown, operation: string): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  const text = typeof shape.message === 'string' ? shape.message : String(error);
  const marker = LINK_MARKER.exec(text)?.[1];
  if (marker) return linkError(operation, marker, error);
  const mapped = byName(operation, name, text, error);
  if (mapped) return mapped;
  const status = shape.$metadata?.httpStatusCode;
  if ((typeof status === 'number' && status >= 500) || shape.$fault === 'server') {
    return authError(operation, 'UNAVAILABLE', `Cognito answered ${status ?? 'a server error'}; retry.`, { cause: error, retryable: true });
  }
  if (isNetworkError(error) || name === 'TimeoutError' || name === 'AbortError') {
    return authError(operation, 'UNAVAILABLE', 'Cognito is unreachable; retry.', { cause: error, retryable: true });
  }
  if (status === undefined) {
    // No HTTP response at all: a network failure the SDK did not name.
    return authError(operation, 'UNAVAILABLE', `Cognito call failed before a response: ${text.slice(0, 160)}`, {
      cause: error,
      retryable: true,
    });
  }
  return authError(operation, 'UNAVAILABLE', `Cognito refused the call (${name || status}).`, { cause: error, retryable: false });
}
