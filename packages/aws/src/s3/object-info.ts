import type { ObjectInfo } from '@switchyard/core/adapter/storage';

/** The fields HeadObject and GetObject both return. */
interface ObjectHeaders {
  ContentLength?: number | undefined;
  ContentType?: string | undefined;
  CacheControl?: string | undefined;
  Metadata?: Record<string, string> | undefined;
  ETag?: string | undefined;
  LastModified?: Date | undefined;
  ContentRange?: string | undefined;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

/** The bytes a ranged GET returned and the whole object's size, from `Content-Range: bytes 10-19/1000`. */
export function parseContentRange(header: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = header ? CONTENT_RANGE.exec(header) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

export function toObjectInfo(key: string, headers: ObjectHeaders): ObjectInfo {
  const size = parseContentRange(headers.ContentRange)?.size ?? headers.ContentLength ?? 0;
  return {
    key,
    size,
    contentType: headers.ContentType ?? 'application/octet-stream',
    cacheControl: headers.CacheControl,
    // S3 returns metadata names in lower case, as the port requires them.
    metadata: { ...headers.Metadata },
    etag: headers.ETag,
    lastModified: headers.LastModified ?? new Date(),
  };
}
