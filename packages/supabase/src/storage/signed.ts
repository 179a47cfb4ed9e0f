import type { SignedUrl, UploadTarget } from '@switchyard/core/adapter/storage';
import { unverifiedJwtPayload } from '@switchyard/core/adapter/storage';
import { storageError } from './errors.js';
import type { StorageHttp } from './http.js';
import { keyPath } from './keys.js';

/** `iat` and `exp` of a signed-URL token (an HS256 JWT storage-api signs; it is not verified here). */
function tokenTimes(operation: string, token: string): { iat: number; exp: number } {
  const payload = unverifiedJwtPayload(token);
  if (typeof payload?.exp === 'number' && typeof payload.iat === 'number') return { iat: payload.iat, exp: payload.exp };
  throw storageError(operation, 'UNAVAILABLE', 'Supabase Storage answered with a signed-URL token the adapter cannot read; retry later.');
}

/**
 * A signed upload URL: `POST /object/upload/sign/{bucket}/{key}` with `x-upsert: true`. The server
 * fixes the token's lifetime (`UPLOAD_SIGNED_URL_EXPIRATION_TIME`), so `expiresAt` is the token's own
 * `exp` and `lifetime` what the server gave. The URL is built from the token with the key encoded, as
 * the server decodes it (its answer holds the key unencoded).
 */
export async function signUpload(
  http: StorageHttp,
  bucket: string,
  key: string,
  contentType: string | undefined,
): Promise<{ target: UploadTarget; lifetime: number }> {
  const path = `${encodeURIComponent(bucket)}/${keyPath(key)}`;
  const { token } = await http.json<{ token: string }>('createUploadUrl', {
    method: 'POST',
    path: `/object/upload/sign/${path}`,
    headers: { 'x-upsert': 'true' },
  });
  const { iat, exp } = tokenTimes('createUploadUrl', token);
  return {
    lifetime: exp - iat,
    target: {
      url: `${http.base}/object/upload/sign/${path}?token=${token}`,
      method: 'PUT',
      headers: contentType ? { 'content-type': contentType } : {},
      fields: {},
      expiresAt: new Date(exp * 1000),
    },
  };
}

interface SignedPath {
  error: string | null;
  signedURL: string | null;
}

/**
 * A signed download URL through the batch route `POST /object/sign/{bucket}` `{expiresIn, paths}`,
 * which signs the key exactly as given. The single-object route signs the request path after
 * `decodeURI`, which leaves `%3F`, `%2B`, `%26`... encoded, so keys with `?`, `+`, `&`, `$`, `@`, `=`,
 * `;`, `:` or `,` would get a token for another name (src/storage/object.ts `signObjectUrl`).
 * Returns null when the object does not exist (the server signs only existing objects).
 */
export async function signDownload(
  http: StorageHttp,
  bucket: string,
  key: string,
  expiresIn: number,
  downloadAs: string | undefined,
): Promise<SignedUrl | null> {
  const [signed] = await http.json<SignedPath[]>('createDownloadUrl', {
    method: 'POST',
    path: `/object/sign/${encodeURIComponent(bucket)}`,
    json: { expiresIn, paths: [key] },
  });
  if (!signed?.signedURL) return null;
  const token = signed.signedURL.slice(signed.signedURL.lastIndexOf('?token=') + '?token='.length);
  const download = downloadAs === undefined ? '' : `&download=${encodeURIComponent(downloadAs)}`;
  return {
    url: `${http.base}/object/sign/${encodeURIComponent(bucket)}/${keyPath(key)}?token=${token}${download}`,
    expiresAt: new Date(tokenTimes('createDownloadUrl', token).exp * 1000),
  };
}
