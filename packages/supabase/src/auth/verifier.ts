import { createRemoteJWKSet, errors, type JWTHeaderParameters, type JWTPayload, jwtVerify } from 'jose';
import { refused } from './errors.js';

export interface VerifierSettings {
  /** `<SUPABASE_URL>/auth/v1`: the issuer of the project's tokens. */
  issuer: string;
  /** The legacy shared secret; tokens signed with HS256 verify against it. */
  jwtSecret?: string | undefined;
  /** How long a fetched key set is trusted before the next verification refetches it. */
  jwksMaxAgeMs?: number | undefined;
  /** Least time between two key set fetches; default one minute. */
  jwksCooldownMs?: number | undefined;
}

/** At most one refetch of the key set per minute on an unknown `kid` (a forged kid must not hammer Auth). */
export const JWKS_REFETCH_COOLDOWN_MS = 60_000;

const ASYMMETRIC = ['ES256', 'RS256', 'EdDSA'];

/**
 * Verifies Supabase access tokens locally: asymmetric tokens against the project's JWKS
 * (`/auth/v1/.well-known/jwks.json`, fetched once and cached by jose's remote key set, refetched
 * on an unknown `kid` at most once per cooldown), HS256 tokens against the legacy secret when one
 * is configured. `alg: none` and any other algorithm are refused.
 */
export class AccessTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly secret: Uint8Array | undefined;

  constructor(private readonly settings: VerifierSettings) {
    this.jwks = createRemoteJWKSet(new URL(`${settings.issuer}/.well-known/jwks.json`), {
      cooldownDuration: settings.jwksCooldownMs ?? JWKS_REFETCH_COOLDOWN_MS,
      cacheMaxAge: settings.jwksMaxAgeMs ?? 10 * 60_000,
    });
    this.secret = settings.jwtSecret ? new TextEncoder().encode(settings.jwtSecret) : undefined;
  }

  async verify(token: string): Promise<JWTPayload> {
    if (typeof token !== 'string' || token.length === 0) throw refused('verifyAccessToken', 'invalid', 'No access token was given.');
    const keyFor = (header: JWTHeaderParameters) => {
      if (header.alg === 'HS256') {
        if (!this.secret) throw refused('verifyAccessToken', 'invalid', 'HS256 tokens need jwtSecret (SUPABASE_JWT_SECRET).');
        return this.secret;
      }
      return this.jwks(header);
    };
    try {
      const { payload } = await jwtVerify(token, keyFor, {
        issuer: this.settings.issuer,
        audience: 'authenticated',
        algorithms: this.secret ? [...ASYMMETRIC, 'HS256'] : ASYMMETRIC,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (error) {
      if (error instanceof Error && error.name === 'SwitchyardError') throw error;
      if (error instanceof errors.JWTExpired)
        throw refused('verifyAccessToken', 'expired', 'The access token has expired; refresh the session.', error);
      if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && /fetch/i.test(error.message))) {
        throw refused(
          'verifyAccessToken',
          'invalid',
          'The project key set could not be fetched to verify this token; check SUPABASE_URL.',
          error,
        );
      }
      throw refused(
        'verifyAccessToken',
        'invalid',
        'The access token is not valid for this project (signature, key, issuer or audience).',
        error,
      );
    }
  }
}
