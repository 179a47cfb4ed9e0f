import type { S3Client } from '@aws-sdk/client-s3';
import type { SignedUrl, UploadTarget } from '@switchyard/core';
import type { CloudFrontOptions } from './options.js';
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
  maxBytes?: number | undefined;
}

/** A browser form POST whose policy S3 checks: exact content type and a size range. */
export async function presignedPost(sdk: S3Sdk, client: S3Client, request: UploadRequest): Promise<UploadTarget> {
  const conditions: NonNullable<Parameters<S3Sdk['post']['createPresignedPost']>[1]['Conditions']> = [];
  const fields: Record<string, string> = {};
  if (request.contentType) {
    conditions.push({ 'Content-Type': request.contentType });
    fields['Content-Type'] = request.contentType;
  }
  if (request.maxBytes !== undefined) conditions.push(['content-length-range', 0, request.maxBytes]);
  const post = await sdk.post.createPresignedPost(client, {
    Bucket: request.bucket,
    Key: request.key,
    Conditions: conditions,
    Fields: fields,
    Expires: request.expiresIn,
  });
  return { url: post.url, method: 'POST', headers: {}, fields: post.fields, expiresAt: new Date(Date.now() + request.expiresIn * 1000) };
}

/** A signed PUT: the content type is part of the signature, so another one is refused. */
export async function presignedPut(sdk: S3Sdk, client: S3Client, request: UploadRequest): Promise<UploadTarget> {
  const command = new sdk.s3.PutObjectCommand({
    Bucket: request.bucket,
    Key: request.key,
    ...(request.contentType ? { ContentType: request.contentType } : {}),
  });
  const url = await sdk.presigner.getSignedUrl(client, command, {
    expiresIn: request.expiresIn,
    // Sign the content type header so the upload must carry exactly it.
    ...(request.contentType ? { signableHeaders: new Set(['content-type']) } : {}),
  });
  return {
    url,
    method: 'PUT',
    headers: request.contentType ? { 'content-type': request.contentType } : {},
    fields: {},
    expiresAt: new Date(Date.now() + request.expiresIn * 1000),
  };
}

export async function presignedGet(
  sdk: S3Sdk,
  client: S3Client,
  request: { bucket: string; key: string; expiresIn: number; downloadAs?: string | undefined },
): Promise<SignedUrl> {
  const command = new sdk.s3.GetObjectCommand({
    Bucket: request.bucket,
    Key: request.key,
    ...(request.downloadAs ? { ResponseContentDisposition: attachment(request.downloadAs) } : {}),
  });
  const url = await sdk.presigner.getSignedUrl(client, command, { expiresIn: request.expiresIn });
  return { url, expiresAt: new Date(Date.now() + request.expiresIn * 1000) };
}

/** A CloudFront signed URL (canned policy) on the distribution's domain. */
export function cloudFrontSignedUrl(
  sdk: S3Sdk,
  cloudFront: Required<CloudFrontOptions>,
  request: { key: string; expiresIn: number; downloadAs?: string | undefined },
): SignedUrl {
  const expiresAt = new Date(Date.now() + request.expiresIn * 1000);
  const url = new URL(`https://${cloudFront.domain}/${encodeKeyPath(request.key)}`);
  if (request.downloadAs) url.searchParams.set('response-content-disposition', attachment(request.downloadAs));
  const signed = sdk.cloudFront!.getSignedUrl({
    url: url.toString(),
    keyPairId: cloudFront.keyPairId,
    privateKey: cloudFront.privateKey,
    dateLessThan: expiresAt.toISOString(),
  });
  return { url: signed, expiresAt };
}
