import { KeySetCache, type OnEvent, SwitchyardError } from '@switchyard/core/adapter/auth';
import type { CryptoKey, JWK, JWTHeaderParameters, JWTPayload } from 'jose';
import { errors as supabaseErrors } from './errors.js';

const { refused } = supabaseErrors;

export interface VerifierSettings {
  /** `<SUPABASE_URL>/auth/v1`: the issuer of the project's tokens. */
  issuer: string;
  /** The legacy shared secret; tokens signed with HS256 verify against it. */
  jwtSecret?: string | undefined;
  /** Where the project publishes its keys; default `<issuer>/.well-known/jwks.json`. */
  jwksUrl?: string | undefined;
  /** How long a fetched key set is trusted before it is refreshed; default 10 minutes. */
  jwksMaxAgeMs?: number | undefined;
  /** How long past the max age cached keys keep verifying while refreshes fail; default one hour. */
  jwksStaleIfErrorMs?: number | undefined;
  /** Longest one key-set download may take; default 5 s. */
  jwksFetchTimeoutMs?: number | undefined;
  /** Least time between two key set fetches for an unknown `kid`; default one minute. */
  jwksCooldownMs?: number | undefined;
  onEvent?: OnEvent | undefined;
  now?: (() => number) | undefined;
}

/** At most one refetch of the key set per minute on an unknown `kid` (a forged kid must not hammer Auth). */
export const JWKS_REFETCH_COOLDOWN_MS = 60_000;

const ASYMMETRIC = ['ES256', 'RS256', 'EdDSA'];

type Jose = typeof import('jose');
let loading: Promise<Jose> | undefined;
/** Set once jose has loaded, so a verification after the first needs no await for it. */
let loaded: Jose | undefined;
// jose is half of this subpath's import time; a process that never verifies a token never loads it.
const loadJose = () => {
  loading ??= import('jose').then((module) => {
    loaded = module;
    return module;
  });
  return loading;
};

/**
 * Verifies Supabase access tokens locally: asymmetric tokens against the project's JWKS
 * (`/auth/v1/.well-known/jwks.json`) through the shared core KeySetCache (a key set that cannot
 * be fetched is a retryable UNAVAILABLE, never a refusal; downloads back off and are shared;
 * stale keys keep verifying for a grace period), HS256 tokens against the legacy secret when one
 * is configured. `alg: none` and any other algorithm are refused.
 */
export class AccessTokenVerifier {
  readonly keySet: KeySetCache;
  private readonly secret: Uint8Array | undefined;
  // importJWK is not free; each published key is imported once.
  private readonly imported = new WeakMap<object, Promise<CryptoKey | Uint8Array>>();
  private readonly verifyOptions: { issuer: string; audience: string; algorithms: string[]; requiredClaims: string[] };

  constructor(settings: VerifierSettings) {
    this.keySet = new KeySetCache({
      url: settings.jwksUrl ?? `${settings.issuer}/.well-known/jwks.json`,
      provider: 'supabase',
      maxAgeMs: settings.jwksMaxAgeMs,
      staleIfErrorMs: settings.jwksStaleIfErrorMs,
      fetchTimeoutMs: settings.jwksFetchTimeoutMs,
      unknownKidIntervalMs: settings.jwksCooldownMs ?? JWKS_REFETCH_COOLDOWN_MS,
      onEvent: settings.onEvent,
      now: settings.now,
    });
    this.secret = settings.jwtSecret ? new TextEncoder().encode(settings.jwtSecret) : undefined;
    this.verifyOptions = {
      issuer: settings.issuer,
      audience: 'authenticated',
      algorithms: this.secret ? [...ASYMMETRIC, 'HS256'] : ASYMMETRIC,
      requiredClaims: ['exp', 'sub'],
    };
  }

  private async publicKey(header: JWTHeaderParameters, { importJWK }: Jose) {
    const jwk = await this.keySet.key(header.kid);
    if (typeof jwk.alg === 'string' && jwk.alg !== header.alg) {
      throw refused('verifyAccessToken', 'invalid', 'The token’s algorithm does not match its signing key.');
    }
    let key = this.imported.get(jwk);
    if (!key) {
      key = importJWK(jwk as JWK, header.alg);
      this.imported.set(jwk, key);
    }
    return key;
  }

  /** The key jose checks a token's signature with; one function for every call. */
  private readonly keyFor = (header: JWTHeaderParameters) => {
    if (header.alg === 'HS256') {
      if (!this.secret) throw refused('verifyAccessToken', 'invalid', 'HS256 tokens need jwtSecret (SUPABASE_JWT_SECRET).');
      return this.secret;
    }
    if (!ASYMMETRIC.includes(String(header.alg))) throw refused('verifyAccessToken', 'invalid', 'The token’s algorithm is not accepted.');
    // verify() has loaded jose before jose calls this.
    return this.publicKey(header, loaded!);
  };

  async verify(token: string): Promise<JWTPayload> {
    const { jwtVerify, errors } = loaded ?? (await loadJose());
    try {
      const { payload } = await jwtVerify(token, this.keyFor, this.verifyOptions);
      return payload;
    } catch (error) {
      // The key-set cache's UNAVAILABLE and the refusals above pass as they are.
      if (SwitchyardError.isInstance(error)) throw error;
      if (error instanceof errors.JWTExpired)
        throw refused('verifyAccessToken', 'expired', 'The access token has expired; refresh the session.', error);
      throw refused(
        'verifyAccessToken',
        'invalid',
        'The access token is not valid for this project (signature, key, issuer or audience).',
        error,
      );
    }
  }
}
