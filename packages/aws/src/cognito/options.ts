import type { KeySetSettings, OnEvent } from '@switchyard/core/adapter/auth';
import { adapterErrors } from '@switchyard/core/adapter/auth';
import type { OtpSessionStore } from './otp-sessions.js';

/**
 * A `CognitoIdentityProviderClient` of `@aws-sdk/client-cognito-identity-provider`, typed by shape
 * so that no SDK type reaches these declarations.
 */
export interface CognitoClientLike {
  send(command: never, ...rest: never[]): Promise<unknown>;
  destroy(): void;
}

/** Options of `createCognitoAuth`. */
export interface CognitoAuthOptions {
  /**
   * A client the app already has: every Cognito call goes through it (`endpoint` and `credentials`
   * then come from it), and `close` leaves it open (the app closes it).
   */
  client?: CognitoClientLike;
  /** The user pool's region, for example `eu-west-1`. */
  region: string;
  /** For example `eu-west-1_AbC123xyz`. */
  userPoolId: string;
  /** The app client the sign-in flows and token audience belong to. */
  clientId: string;
  /** Set when the app client has a secret; every flow then sends SECRET_HASH. */
  clientSecret?: string;
  /**
   * Another Cognito endpoint (a VPC endpoint, or cognito-local in tests). The JWKS is then read from
   * `<endpoint>/<userPoolId>/.well-known/jwks.json`, where Cognito serves it on its regional endpoint too.
   */
  endpoint?: string;
  /** AWS credentials for the admin calls; default the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * `email-otp`: Cognito's native passwordless codes (USER_AUTH with EMAIL_OTP; Essentials tier).
   * `magic-link`: CUSTOM_AUTH with the `@switchyard/aws/cognito-triggers` handlers deployed on the pool.
   */
  signIn: 'email-otp' | 'magic-link';
  magicLink?: {
    /** Where links land when `sendSignInEmail` gets no `redirectTo`; must be on the triggers' allow-list. */
    redirectTo?: string;
  };
  /** Custom attribute names; the pool's schema must define them (String, 2048). */
  attributes?: {
    /** The application user id (a migrated user's UUID); default `custom:app_user_id`. Keep it admin-write-only on the app client. */
    appUserId?: string;
    /** JSON of `AuthUser.metadata`; default `custom:metadata`. */
    metadata?: string;
  };
  /**
   * Where the Cognito `Session` waits between sending a code and verifying it; it must be reachable
   * from every instance that serves sign-ins (a code sent by instance A is often entered at B, and
   * always so across a rolling redeploy). A Redis every instance reaches (ElastiCache, Valkey):
   * `redis://…` or `rediss://…` (TLS). Needs the optional peer `ioredis`.
   */
  otpStore?: {
    redisUrl: string;
    /** Prefix of the store's keys; default `switchyard:cognito-otp:`. */
    keyPrefix?: string;
    /** Longest one store call may take; default 2,000 ms. */
    commandTimeoutMs?: number;
  };
  /**
   * Another store of your own (DynamoDB…), instead of `otpStore`. Without either the sessions stay
   * in this process's memory, which only works with a single instance.
   */
  otpSessions?: OtpSessionStore;
  /** How long a code can be verified, in seconds; match the app client's AuthSessionValidity (Cognito default 3 minutes). */
  otpSessionTtlSeconds?: number;
  /**
   * Access tokens carry no email or custom attributes, so `verifyAccessToken` looks the user up once
   * (AdminGetUser) and caches it, unless the token already carries `app_user_id` and `email` claims
   * (added by `createPreTokenGenerationTrigger`). Default 300 s, 10,000 users.
   */
  profileCache?: { ttlSeconds?: number; maxEntries?: number };
  /** Least time between two JWKS downloads caused by an unknown `kid`. Default 60 s. */
  jwksRefetchIntervalSeconds?: number;
  /**
   * The pool's signing keys, held by core's shared `KeySetCache` (see `KeySetSettings`). `url`
   * defaults to `https://cognito-idp.<region>.amazonaws.com/<userPoolId>/.well-known/jwks.json`, or
   * the same path on `endpoint`.
   */
  keySet?: KeySetSettings;
  /**
   * Longest one Cognito API call may take, retries included (connect, answer, body); then it fails
   * `UNAVAILABLE`, retryable. Default 10,000 ms.
   */
  requestTimeoutMs?: number;
  /** Receives an OperationEvent for every call. */
  onEvent?: OnEvent;
}

export interface ResolvedCognitoOptions {
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret: string | undefined;
  endpoint: string | undefined;
  signIn: 'email-otp' | 'magic-link';
  redirectTo: string | undefined;
  appUserIdAttribute: string;
  metadataAttribute: string;
  otpSessionTtlMs: number;
  profileTtlMs: number;
  profileMaxEntries: number;
  jwksRefetchIntervalMs: number;
  keySetUrl: string | undefined;
  keySetMaxAgeMs: number;
  keySetStaleIfErrorMs: number;
  keySetFetchTimeoutMs: number;
  requestTimeoutMs: number;
  otpStore: { redisUrl: string; keyPrefix: string; commandTimeoutMs: number } | undefined;
}

// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-settings-attributes.html#user-pool-settings-custom-attributes
const CUSTOM_ATTRIBUTE = /^custom:[\w-]{1,20}$/;

const { config: configError } = adapterErrors('auth', 'aws');

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw configError(`${name} must be a positive number.`);
  return value;
}

/** Checks the options and applies defaults, failing with one CONFIG error that lists every problem. */
export function resolveCognitoOptions(options: CognitoAuthOptions): ResolvedCognitoOptions {
  const problems: string[] = [];
  for (const key of ['region', 'userPoolId', 'clientId'] as const) {
    if (typeof options?.[key] !== 'string' || options[key].length === 0) problems.push(`${key} is required`);
  }
  if (options?.signIn !== 'email-otp' && options?.signIn !== 'magic-link') problems.push("signIn must be 'email-otp' or 'magic-link'");
  if (options?.endpoint !== undefined && !URL.canParse(options.endpoint)) problems.push('endpoint must be a URL');
  const redisUrl = options?.otpStore?.redisUrl;
  if (options?.otpStore !== undefined && !(typeof redisUrl === 'string' && /^rediss?:\/\/[^/]/.test(redisUrl) && URL.canParse(redisUrl))) {
    problems.push('otpStore.redisUrl must be a redis:// or rediss:// URL');
  }
  if (options?.otpStore !== undefined && options.otpSessions !== undefined) problems.push('give otpStore or otpSessions, not both');
  if (options?.keySet?.url !== undefined && !URL.canParse(options.keySet.url)) problems.push('keySet.url must be a URL');
  if (options?.magicLink?.redirectTo !== undefined && !URL.canParse(options.magicLink.redirectTo)) {
    problems.push('magicLink.redirectTo must be an absolute URL');
  }
  const appUserIdAttribute = options?.attributes?.appUserId ?? 'custom:app_user_id';
  const metadataAttribute = options?.attributes?.metadata ?? 'custom:metadata';
  for (const name of [appUserIdAttribute, metadataAttribute]) {
    if (!CUSTOM_ATTRIBUTE.test(name)) problems.push(`attribute ${name} must look like custom:<name> (at most 20 characters)`);
  }
  if (problems.length > 0) throw configError(`Invalid Cognito options: ${problems.join('; ')}.`);
  return {
    region: options.region,
    userPoolId: options.userPoolId,
    clientId: options.clientId,
    clientSecret: options.clientSecret || undefined,
    endpoint: options.endpoint?.replace(/\/+$/, ''),
    signIn: options.signIn,
    redirectTo: options.magicLink?.redirectTo,
    appUserIdAttribute,
    metadataAttribute,
    otpSessionTtlMs: positive(options.otpSessionTtlSeconds, 180, 'otpSessionTtlSeconds') * 1000,
    profileTtlMs: positive(options.profileCache?.ttlSeconds, 300, 'profileCache.ttlSeconds') * 1000,
    profileMaxEntries: positive(options.profileCache?.maxEntries, 10_000, 'profileCache.maxEntries'),
    jwksRefetchIntervalMs: positive(options.jwksRefetchIntervalSeconds, 60, 'jwksRefetchIntervalSeconds') * 1000,
    keySetUrl: options.keySet?.url,
    keySetMaxAgeMs: positive(options.keySet?.maxAgeSeconds, 600, 'keySet.maxAgeSeconds') * 1000,
    keySetStaleIfErrorMs: positive(options.keySet?.staleIfErrorSeconds, 3600, 'keySet.staleIfErrorSeconds') * 1000,
    keySetFetchTimeoutMs: positive(options.keySet?.fetchTimeoutMs, 5000, 'keySet.fetchTimeoutMs'),
    requestTimeoutMs: positive(options.requestTimeoutMs, 10_000, 'requestTimeoutMs'),
    otpStore: options.otpStore && {
      redisUrl: options.otpStore.redisUrl,
      keyPrefix: options.otpStore.keyPrefix ?? 'switchyard:cognito-otp:',
      commandTimeoutMs: positive(options.otpStore.commandTimeoutMs, 2000, 'otpStore.commandTimeoutMs'),
    },
  };
}
