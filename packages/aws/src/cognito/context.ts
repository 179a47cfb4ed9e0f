import { createHmac } from 'node:crypto';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { OnEvent } from '@switchyard/core/adapter/auth';
import { mapCognitoError } from './errors.js';
import type { ResolvedCognitoOptions } from './options.js';
import type { CognitoSdk } from './sdk.js';

/** What every part of the adapter shares: the SDK, one client, the options. */
export interface CognitoContext {
  sdk: CognitoSdk;
  client: CognitoIdentityProviderClient;
  /** `client.send`, aborted after `options.requestTimeoutMs` (retries included). */
  send: CognitoIdentityProviderClient['send'];
  options: ResolvedCognitoOptions;
  now: () => number;
  /** Where key-set events go (the same hook as the operation events). */
  onEvent?: OnEvent | undefined;
}

/**
 * `client.send` with a deadline: the SDK has per-attempt socket timeouts only, so a provider that
 * accepts and never answers would hold a call for minutes across retries.
 */
export function sendWithin(client: CognitoIdentityProviderClient, timeoutMs: number): CognitoIdentityProviderClient['send'] {
  const send = (command: Parameters<CognitoIdentityProviderClient['send']>[0]) =>
    client.send(command, { abortSignal: AbortSignal.timeout(timeoutMs) });
  return send as CognitoIdentityProviderClient['send'];
}

/** Runs one SDK call, mapping whatever it throws. */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapCognitoError(error, operation);
  }
}

/**
 * SECRET_HASH = Base64(HMAC_SHA256(clientSecret, username + clientId)), required in every flow
 * when the app client has a secret.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
export function secretHash(options: ResolvedCognitoOptions, username: string): Record<string, string> {
  if (!options.clientSecret) return {};
  return {
    SECRET_HASH: createHmac('sha256', options.clientSecret)
      .update(username + options.clientId)
      .digest('base64'),
  };
}

// Values inside a ListUsers filter sit between double quotes; refuse anything that could end them.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html#CognitoUserPools-ListUsers-request-Filter
const FILTER_SAFE = /^[^"\\\p{Cc}]{1,2048}$/u;

export function filterValue(value: string): string | undefined {
  return FILTER_SAFE.test(value) ? value : undefined;
}
