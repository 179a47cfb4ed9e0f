import { type AuthUser, KeySetCache, SwitchyardError } from '@switchyard/core/adapter/auth';
import type { CognitoContext } from './context.js';
import { refused } from './errors.js';
import { cognitoJwksUrl, SharedJwksCache } from './jwks.js';
import { TtlCache } from './ttl-cache.js';
import { type CognitoUser, parseMetadata, publicUser } from './users.js';

type Claims = Record<string, unknown>;

/**
 * Verifies Cognito access tokens locally (aws-jwt-verify, cached JWKS) and resolves the user they
 * belong to. Access tokens carry `sub` and `username` but no email or custom attributes: the user is
 * read once with AdminGetUser and cached, unless the token carries `app_user_id` and `email`
 * claims (added by the pre-token-generation trigger), in which case no call is made at all.
 */
export class AccessTokens {
  private readonly verifier;
  private readonly profiles: TtlCache<CognitoUser>;
  readonly keySet: KeySetCache;

  constructor(
    private readonly ctx: CognitoContext,
    private readonly lookup: (username: string, operation: string) => Promise<CognitoUser | null>,
  ) {
    const { options, sdk } = ctx;
    this.keySet = new KeySetCache({
      url: options.keySetUrl ?? cognitoJwksUrl(options),
      provider: 'aws',
      maxAgeMs: options.keySetMaxAgeMs,
      staleIfErrorMs: options.keySetStaleIfErrorMs,
      unknownKidIntervalMs: options.jwksRefetchIntervalMs,
      fetchTimeoutMs: options.keySetFetchTimeoutMs,
      onEvent: ctx.onEvent,
      now: ctx.now,
    });
    this.verifier = sdk.verifier.CognitoJwtVerifier.create(
      { userPoolId: options.userPoolId, tokenUse: 'access', clientId: options.clientId },
      { jwksCache: new SharedJwksCache(this.keySet, sdk) },
    );
    this.profiles = new TtlCache(options.profileTtlMs, options.profileMaxEntries, ctx.now);
  }

  /**
   * The verified claims; expired → `expired`, anything else wrong → `invalid`. A JWKS that cannot
   * be fetched is the key-set cache's retryable UNAVAILABLE, passed on as is.
   */
  async verify(token: string, operation: string): Promise<Claims> {
    if (typeof token !== 'string' || token.split('.').length !== 3) {
      throw refused(operation, 'invalid', 'The access token is not a JWT.');
    }
    const { errors } = this.ctx.sdk;
    try {
      return (await this.verifier.verify(token)) as Claims;
    } catch (error) {
      if (SwitchyardError.isInstance(error)) throw error;
      if (error instanceof errors.JwtExpiredError)
        throw refused(operation, 'expired', 'The access token has expired; refresh the session.', error);
      throw refused(operation, 'invalid', 'The access token is not valid for this user pool and app client.', error);
    }
  }

  /** The AuthUser for verified claims. */
  async user(claims: Claims, operation: string): Promise<AuthUser> {
    const extra = { sessionId: typeof claims.origin_jti === 'string' ? claims.origin_jti : undefined, role: 'authenticated' };
    if (typeof claims.app_user_id === 'string' && typeof claims.email === 'string') {
      return {
        id: claims.app_user_id,
        email: claims.email,
        emailVerified: claims.email_verified === true || claims.email_verified === 'true',
        provider: 'aws',
        metadata: parseMetadata(claims.app_metadata),
        ...extra,
      };
    }
    return publicUser(await this.profile(claims, operation), extra);
  }

  async profile(claims: Claims, operation: string): Promise<CognitoUser> {
    const sub = String(claims.sub ?? '');
    const cached = this.profiles.get(sub);
    if (cached) return cached;
    const username = typeof claims.username === 'string' ? claims.username : sub;
    const user = await this.lookup(username, operation);
    if (!user) throw refused(operation, 'revoked', 'The user of this token no longer exists.');
    if (user.sub !== sub) throw refused(operation, 'invalid', 'The token does not belong to this user.');
    this.profiles.set(sub, user);
    return user;
  }

  remember(user: CognitoUser): void {
    this.profiles.set(user.sub, user);
  }

  forget(user: CognitoUser): void {
    this.profiles.delete(user.sub);
  }
}
