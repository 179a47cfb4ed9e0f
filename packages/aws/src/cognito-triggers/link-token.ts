import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Signs and checks link payloads. `hmacLinkSigner` is the default; a KMS signer fits the same shape. */
export interface LinkSigner {
  sign(data: Buffer): Promise<Buffer>;
  verify(data: Buffer, signature: Buffer): Promise<boolean>;
}

/**
 * HMAC-SHA256 with a secret of at least 32 bytes, kept in the Lambda's environment or Secrets
 * Manager. (The aws-samples design signs with a KMS RSASSA-PSS key instead: implement LinkSigner
 * with KMS `Sign`/`Verify` for that, so the secret never leaves KMS.)
 */
export function hmacLinkSigner(secret: string | Buffer): LinkSigner {
  const key = Buffer.from(secret);
  if (key.length < 32) throw new Error('The magic-link secret must be at least 32 bytes.');
  const mac = (data: Buffer) => createHmac('sha256', key).update(data).digest();
  return {
    async sign(data) {
      return mac(data);
    },
    async verify(data, signature) {
      const expected = mac(data);
      return signature.length === expected.length && timingSafeEqual(signature, expected);
    },
  };
}

/** What a link proves: who, when it was issued and until when, plus a nonce that makes it single-use. */
export interface LinkClaims {
  userName: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  nonce: string;
}

/** `<base64url(JSON claims)>.<base64url(signature)>` — the `token_hash` of the link. */
export async function createLinkToken(
  signer: LinkSigner,
  claims: Omit<LinkClaims, 'nonce'>,
): Promise<{ token: string; claims: LinkClaims }> {
  const full: LinkClaims = { ...claims, nonce: randomBytes(16).toString('base64url') };
  const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
  const signature = await signer.sign(Buffer.from(payload));
  return { token: `${payload}.${signature.toString('base64url')}`, claims: full };
}

/** The claims when the signature holds, else undefined. Expiry is the caller's to check. */
export async function readLinkToken(signer: LinkSigner, token: unknown): Promise<LinkClaims | undefined> {
  if (typeof token !== 'string' || token.length > 4096) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  if (!(await signer.verify(Buffer.from(payload), Buffer.from(signature, 'base64url')))) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<LinkClaims>;
    if (typeof claims.userName !== 'string' || typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return undefined;
    if (typeof claims.nonce !== 'string' || claims.nonce.length < 16) return undefined;
    return claims as LinkClaims;
  } catch {
    return undefined;
  }
}
