import type { S3Client } from '@aws-sdk/client-s3';
import type { SignedUrl, UploadTarget } from '@switchyard/core/adapter/storage';
import type { S3Sdk } from './sdk.js';

/** Encodes each segment of a key for a URL path, keeping the "/" separators. */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

interface UploadRequest {
  bucket: string;
  key: string;
  expiresIn: number;
  contentType?: string | undefined;
}

export function expiry(signedAt: number, expiresIn: number): Date {
  return new Date(signedAt + expiresIn * 1000);
}

/** A signed PUT: the content type is a signed header, so S3 refuses an upload carrying another one. */
export async function presignedPut(sdk: S3Sdk, client: S3Client, request: UploadRequest): Promise<UploadTarget> {
  const { getSignedUrl } = await sdk.use('presigner', 'createUploadUrl');
  const command = new sdk.s3.PutObjectCommand({
    Bucket: request.bucket,
    Key: request.key,
    ...(request.contentType ? { ContentType: request.contentType } : {}),
  });
  const signedAt = Date.now();
  const url = await getSignedUrl(client, command, {
    expiresIn: request.expiresIn,
    ...(request.contentType ? { signableHeaders: new Set(['content-type']) } : {}),
  });
  return {
    url,
    method: 'PUT',
    headers: request.contentType ? { 'content-type': request.contentType } : {},
    fields: {},
    expiresAt: expiry(signedAt, request.expiresIn),
  };
}

export async function presignedGet(
  sdk: S3Sdk,
  client: S3Client,
  request: { bucket: string; key: string; expiresIn: number; downloadAs?: string | undefined },
): Promise<SignedUrl> {
  const { getSignedUrl } = await sdk.use('presigner', 'createDownloadUrl');
  const command = new sdk.s3.GetObjectCommand({
    Bucket: request.bucket,
    Key: request.key,
    ...(request.downloadAs ? { ResponseContentDisposition: attachment(request.downloadAs) } : {}),
  });
  const signedAt = Date.now();
  const url = await getSignedUrl(client, command, { expiresIn: request.expiresIn });
  return { url, expiresAt: expiry(signedAt, request.expiresIn) };
}

/**
 * A CloudFront signed URL (canned policy) on the distribution's domain. `downloadAs` travels as
 * `response-content-disposition`, which reaches S3 only when the distribution forwards that query
 * string to the origin (an origin request policy that includes it).
 */
export function cloudFrontSignedUrl(
  signer: NonNullable<S3Sdk['cloudFront']>,
  cloudFront: { domain: string; keyPairId: string; privateKey: string },
  request: { key: string; expiresIn: number; downloadAs?: string | undefined },
): SignedUrl {
  const expiresAt = expiry(Date.now(), request.expiresIn);
  const query = request.downloadAs ? `?response-content-disposition=${encodeURIComponent(attachment(request.downloadAs))}` : '';
  const url = signer.getSignedUrl({
    url: `https://${cloudFront.domain}/${encodeKeyPath(request.key)}${query}`,
    keyPairId: cloudFront.keyPairId,
    privateKey: cloudFront.privateKey,
    dateLessThan: expiresAt,
  });
  return { url, expiresAt };
}
