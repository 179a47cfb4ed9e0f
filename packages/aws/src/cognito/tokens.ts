import type { AuthUser } from '@switchyard/core';
import type { CognitoContext } from './context.js';
import { authError, refused } from './errors.js';
import { GuardedJwksCache } from './jwks.js';
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

  constructor(
    private readonly ctx: CognitoContext,
    private readonly lookup: (username: string, operation: string) => Promise<CognitoUser | null>,
  ) {
    const { options, sdk } = ctx;
    const jwksCache = new GuardedJwksCache(sdk, { endpoint: options.endpoint, intervalMs: options.jwksRefetchIntervalMs, now: ctx.now });
    this.verifier = sdk.verifier.CognitoJwtVerifier.create(
      { userPoolId: options.userPoolId, tokenUse: 'access', clientId: options.clientId },
      { jwksCache },
    );
    this.profiles = new TtlCache(options.profileTtlMs, options.profileMaxEntries, ctx.now);
  }

  /** The verified claims; expired → `expired`, anything else wrong → `invalid`, JWKS unreachable → UNAVAILABLE. */
  async verify(token: string, operation: string): Promise<Claims> {
    if (typeof token !== 'string' || token.split('.').length !== 3) {
      throw refused(operation, 'invalid', 'The access token is not a JWT.');
    }
    const { errors } = this.ctx.sdk;
    try {
      return (await this.verifier.verify(token)) as Claims;
    } catch (error) {
      if (error instanceof errors.JwtExpiredError)
        throw refused(operation, 'expired', 'The access token has expired; refresh the session.', error);
      if (error instanceof errors.FetchError || (error instanceof Error && error.name === 'TimeoutError')) {
        throw authError(operation, 'UNAVAILABLE', 'Could not download the user pool JWKS to verify the token; retry.', {
          cause: error,
          retryable: true,
        });
      }
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
