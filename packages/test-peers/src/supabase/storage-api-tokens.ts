import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { errors } from './storage-api-errors.js';

export type Scope = 'download' | 'upload';

/**
 * Signed-URL tokens as storage-api makes them (src/storage/object.ts `signObjectUrl`,
 * `signUploadObjectUrl`, `verifyObjectSignature`): HS256 JWTs `{url, scope, iat, exp}` (uploads add
 * `upsert`), checked for signature and expiry (jose's own messages), then scope, then path.
 */
export class SignedTokens {
  private readonly secret = new TextEncoder().encode(`fake-storage-${randomUUID()}`);

  async sign(claims: { url: string; scope: Scope; upsert?: boolean }, expiresIn: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = claims.scope === 'upload' ? { url: claims.url, upsert: claims.upsert === true, scope: claims.scope } : claims;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(this.secret);
  }

  /** The token's claims when it was signed here for `scope` and `url`; else the error storage-api answers. */
  async verify(token: string, scope: Scope, url: string): Promise<{ url: string; upsert?: boolean; exp: number }> {
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, this.secret, { algorithms: ['HS256'] }));
    } catch (error) {
      throw errors.invalidJwt((error as Error).message);
    }
    if (claims.scope !== scope) throw errors.invalidSignature(`Token is not scoped for ${scope}`);
    if (claims.url !== url) throw errors.invalidSignature();
    return claims as { url: string; upsert?: boolean; exp: number };
  }
}
