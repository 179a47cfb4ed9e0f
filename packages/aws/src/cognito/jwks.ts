import type { KeySetCache } from '@switchyard/core/adapter/auth';
import type { CognitoSdk } from './sdk.js';

type JwksCache = import('aws-jwt-verify/jwk').JwksCache;
type Jwks = import('aws-jwt-verify/jwk').Jwks;
type JwkWithKid = import('aws-jwt-verify/jwk').JwkWithKid;
type DecomposedJwt = Parameters<JwksCache['getJwk']>[1];

/** Where Cognito publishes a pool's keys; with a custom endpoint (cognito-local, a proxy) the same path on it. */
export function cognitoJwksUrl(options: { region: string; userPoolId: string; endpoint: string | undefined }): string {
  const origin = options.endpoint ?? `https://cognito-idp.${options.region}.amazonaws.com`;
  return `${origin}/${options.userPoolId}/.well-known/jwks.json`;
}

/**
 * aws-jwt-verify's JwksCache on the shared core KeySetCache, which does the fetching, caching,
 * stale-if-error, back-off and single-flight (aws-jwt-verify's own SimpleJwksCache reports a failed
 * download as an error its verifier cannot tell from a bad token, and retries it on every call).
 * The URI aws-jwt-verify derives from the issuer is ignored: the cache knows its one URL.
 */
export class SharedJwksCache implements JwksCache {
  constructor(
    private readonly keySet: KeySetCache,
    private readonly sdk: CognitoSdk,
  ) {}

  async getJwk(_jwksUri: string, decomposedJwt: DecomposedJwt): Promise<JwkWithKid> {
    return (await this.keySet.key(decomposedJwt.header.kid)) as JwkWithKid;
  }

  getCachedJwk(jwksUri: string, decomposedJwt: DecomposedJwt): JwkWithKid {
    const key = this.keySet.cachedKey(decomposedJwt.header.kid);
    if (!key) throw new this.sdk.errors.JwksNotAvailableInCacheError(`JWKS not yet cached for ${jwksUri}`);
    return key as JwkWithKid;
  }

  addJwks(): void {
    // Keys only ever come from the pool's URL, through the shared cache.
  }

  async getJwks(): Promise<Jwks> {
    return { keys: [...(await this.keySet.keys())] } as Jwks;
  }
}
