/** Anything that mints an RDS IAM auth token (`@aws-sdk/rds-signer`'s Signer fits). */
export interface AuthTokenSigner {
  getAuthToken(): Promise<string>;
}

// Tokens are valid for 15 minutes but only checked when a connection authenticates; renewing a
// minute early keeps a connection that starts just before expiry from presenting a dead token.
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Connecting.html
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const RENEW_BEFORE_MS = 60 * 1000;

/** A password function for `pg` that signs a token for new connections and reuses it until shortly before it expires. */
export function cachedAuthToken(signer: AuthTokenSigner, now: () => number = Date.now): () => Promise<string> {
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (cached && now() < cached.renewAt) return cached.token;
    pending ??= signer
      .getAuthToken()
      .then((token) => {
        cached = { token, renewAt: now() + TOKEN_LIFETIME_MS - RENEW_BEFORE_MS };
        return token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
