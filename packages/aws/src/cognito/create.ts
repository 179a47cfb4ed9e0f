import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type AuthPort, authPort, loadPeer, REDACTED, redactUrl } from '@switchyard/core/adapter/auth';
import { CognitoAuth } from './cognito-auth.js';
import { sendWithin } from './context.js';
import { authError } from './errors.js';
import { type CognitoAuthOptions, resolveCognitoOptions } from './options.js';
import { openRedisOtpSessionStore } from './otp-redis.js';
import { MemoryOtpSessionStore, type OtpSessionStore } from './otp-sessions.js';
import { loadCognitoSdk } from './sdk.js';

/** Seams for tests. */
export interface CognitoAuthDependencies {
  /** Replaces `import('@aws-sdk/client-cognito-identity-provider')`, for example to simulate it missing. */
  importCognito?: () => Promise<unknown>;
  /** Replaces `import('aws-jwt-verify')`. */
  importJwtVerify?: () => Promise<unknown>;
  /** Replaces `import('ioredis')` (only loaded for `otpStore`). */
  importIoredis?: () => Promise<unknown>;
  /** Clock in ms for sessions, caches and the key-set cache. */
  now?: () => number;
}

/**
 * Creates an AuthPort on a Cognito user pool. `@aws-sdk/client-cognito-identity-provider` and
 * `aws-jwt-verify` are optional peers loaded here; without them this fails with a CONFIG error
 * naming them. Nothing is fetched until the first call (the JWKS on the first token). Given a
 * `client`, every Cognito call goes through it and `close` leaves it open.
 *
 * @example
 * const auth = await createCognitoAuth({
 *   region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123', clientId: '1example23456789', signIn: 'email-otp',
 * });
 * await auth.sendSignInEmail('ada@example.com');
 * const session = await auth.verifySignIn({ email: 'ada@example.com', code: '12345678' });
 */
export async function createCognitoAuth(options: CognitoAuthOptions, dependencies: CognitoAuthDependencies = {}): Promise<AuthPort> {
  const resolved = resolveCognitoOptions(options);
  const sdk = await loadCognitoSdk({ cognito: dependencies.importCognito, verifier: dependencies.importJwtVerify });
  const given = options.client as CognitoIdentityProviderClient | undefined;
  let client: CognitoIdentityProviderClient;
  try {
    client =
      given ??
      new sdk.cognito.CognitoIdentityProviderClient({
        region: resolved.region,
        ...(resolved.endpoint ? { endpoint: resolved.endpoint } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      });
  } catch (error) {
    throw authError('create', 'CONFIG', 'Could not create the Cognito client from these options; see `cause`.', { cause: error });
  }
  const now = dependencies.now ?? Date.now;
  const ctx = { sdk, client, send: sendWithin(client, resolved.requestTimeoutMs), options: resolved, now, onEvent: options.onEvent };
  let otpSessions: OtpSessionStore;
  if (resolved.otpStore) {
    const meta = { port: 'auth' as const, provider: 'aws', module: '@switchyard/aws/cognito (otpStore)', packages: ['ioredis'] };
    const ioredis = await loadPeer(dependencies.importIoredis ?? (() => import('ioredis')), meta);
    otpSessions = openRedisOtpSessionStore(ioredis as Parameters<typeof openRedisOtpSessionStore>[0], { ...resolved.otpStore, now });
  } else {
    otpSessions = options.otpSessions ?? new MemoryOtpSessionStore(10_000, now);
  }
  const driver = new CognitoAuth(ctx, otpSessions, given === undefined);
  // The client secret, the AWS credentials in the SDK client and pending Cognito sessions never print.
  const summary = {
    region: resolved.region,
    userPoolId: resolved.userPoolId,
    clientId: resolved.clientId,
    signIn: resolved.signIn,
    ...(resolved.endpoint ? { endpoint: redactUrl(resolved.endpoint) } : {}),
    ...(resolved.clientSecret ? { clientSecret: REDACTED } : {}),
    ...(resolved.otpStore ? { otpStore: redactUrl(resolved.otpStore.redisUrl) } : {}),
  };
  return authPort(driver, { provider: 'aws', onEvent: options.onEvent, summary });
}
