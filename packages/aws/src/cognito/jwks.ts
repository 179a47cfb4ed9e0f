import type { CognitoSdk } from './sdk.js';

type JwksCache = import('aws-jwt-verify/jwk').JwksCache;
type Jwks = import('aws-jwt-verify/jwk').Jwks;
type DecomposedJwt = Parameters<JwksCache['getJwk']>[1];

/**
 * Downloads the JWKS with `fetch`. With a custom endpoint (cognito-local, a VPC endpoint) the
 * path aws-jwt-verify derives from the issuer is kept and only the origin is replaced: Cognito
 * serves `/<userPoolId>/.well-known/jwks.json` on its API endpoint as well.
 */
function jwksFetcher(endpoint: string | undefined, timeoutMs: number) {
  return {
    async fetch(uri: string): Promise<ArrayBuffer> {
      const target = endpoint ? `${endpoint}${new URL(uri).pathname}` : uri;
      const response = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`JWKS download answered HTTP ${response.status}`);
      return response.arrayBuffer();
    },
  };
}

/**
 * aws-jwt-verify refetches the JWKS for an unknown `kid` and, only after a miss, waits 10 s
 * (SimplePenaltyBox). A successful refetch clears that wait, so alternating tokens could still
 * refetch more often; this guard allows one refetch per interval per JWKS URI, whatever the
 * outcome. The first download (nothing cached yet) is never held back.
 */
export class GuardedJwksCache implements JwksCache {
  private readonly inner: JwksCache;
  private readonly lastRefetch = new Map<string, number>();

  constructor(
    private readonly sdk: CognitoSdk,
    options: { endpoint: string | undefined; intervalMs: number; now?: () => number; fetchTimeoutMs?: number },
  ) {
    this.intervalMs = options.intervalMs;
    this.now = options.now ?? Date.now;
    this.inner = new sdk.jwk.SimpleJwksCache({
      fetcher: jwksFetcher(options.endpoint, options.fetchTimeoutMs ?? 5000),
      penaltyBox: new sdk.jwk.SimplePenaltyBox({ waitSeconds: options.intervalMs / 1000 }),
    });
  }

  private readonly intervalMs: number;
  private readonly now: () => number;

  async getJwk(jwksUri: string, decomposedJwt: DecomposedJwt) {
    try {
      return this.inner.getCachedJwk(jwksUri, decomposedJwt);
    } catch (error) {
      if (error instanceof this.sdk.errors.KidNotFoundInJwksError) {
        const last = this.lastRefetch.get(jwksUri);
        if (last !== undefined && this.now() - last < this.intervalMs) throw error;
        this.lastRefetch.set(jwksUri, this.now());
      } else if (!(error instanceof this.sdk.errors.JwksNotAvailableInCacheError)) {
        throw error;
      }
    }
    return this.inner.getJwk(jwksUri, decomposedJwt);
  }

  getCachedJwk(jwksUri: string, decomposedJwt: DecomposedJwt) {
    return this.inner.getCachedJwk(jwksUri, decomposedJwt);
  }

  addJwks(jwksUri: string, jwks: Jwks): void {
    this.inner.addJwks(jwksUri, jwks);
  }

  getJwks(jwksUri: string): Promise<Jwks> {
    return this.inner.getJwks(jwksUri);
  }
}
