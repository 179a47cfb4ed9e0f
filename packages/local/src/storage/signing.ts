import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed URL grants: one operation on one key until `expires` (Unix seconds), with optional limits. */
export interface Grant {
  op: 'get' | 'put';
  key: string;
  expires: number;
  contentType?: string | undefined;
  maxBytes?: number | undefined;
  downloadAs?: string | undefined;
}

export const PARAMS = {
  op: 'X-Sy-Op',
  expires: 'X-Sy-Expires',
  contentType: 'X-Sy-Content-Type',
  maxBytes: 'X-Sy-Max-Bytes',
  downloadAs: 'X-Sy-Download-As',
  signature: 'X-Sy-Signature',
} as const;

function canonical(grant: Grant): string {
  // Every field is signed, so changing any of them (or the key in the path) breaks the signature.
  return [grant.op, grant.key, grant.expires, grant.contentType ?? '', grant.maxBytes ?? '', grant.downloadAs ?? ''].join('\n');
}

export function sign(secret: Buffer, grant: Grant): string {
  return createHmac('sha256', secret).update(canonical(grant)).digest('base64url');
}

/** Constant-time check, so response timing leaks nothing about the expected signature. */
export function verify(secret: Buffer, grant: Grant, signature: string): boolean {
  const expected = Buffer.from(sign(secret, grant));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Encodes each segment, keeping "/" readable in URLs. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

export function grantToUrl(base: string, grant: Grant, secret: Buffer): string {
  const url = new URL(`${base.replace(/\/$/, '')}/o/${encodeKey(grant.key)}`);
  url.searchParams.set(PARAMS.op, grant.op);
  url.searchParams.set(PARAMS.expires, String(grant.expires));
  if (grant.contentType !== undefined) url.searchParams.set(PARAMS.contentType, grant.contentType);
  if (grant.maxBytes !== undefined) url.searchParams.set(PARAMS.maxBytes, String(grant.maxBytes));
  if (grant.downloadAs !== undefined) url.searchParams.set(PARAMS.downloadAs, grant.downloadAs);
  url.searchParams.set(PARAMS.signature, sign(secret, grant));
  return url.toString();
}

/** Reads the grant a request claims; the caller still verifies its signature and expiry. */
export function grantFromUrl(key: string, params: URLSearchParams): { grant: Grant; signature: string } | null {
  const op = params.get(PARAMS.op);
  const expires = Number(params.get(PARAMS.expires));
  const signature = params.get(PARAMS.signature);
  if ((op !== 'get' && op !== 'put') || !Number.isSafeInteger(expires) || !signature) return null;
  const maxBytes = params.get(PARAMS.maxBytes);
  return {
    signature,
    grant: {
      op,
      key,
      expires,
      contentType: params.get(PARAMS.contentType) ?? undefined,
      maxBytes: maxBytes === null ? undefined : Number(maxBytes),
      downloadAs: params.get(PARAMS.downloadAs) ?? undefined,
    },
  };
}
