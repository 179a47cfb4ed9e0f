import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from './storage-api-errors.js';
import type { FakeObject } from './storage-api-store.js';

function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = header?.match(/^bytes=(\d+)-(\d*)$/);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size || end < start) throw errors.range();
  return { start, end };
}

/** The asset renderer (src/storage/renderer/renderer.ts): stored HTML is served as text/plain. */
export function serve(
  req: IncomingMessage,
  res: ServerResponse,
  object: FakeObject,
  extra: { download?: string | null; expires?: number } = {},
) {
  const range = parseRange(req.headers.range, object.bytes.length);
  const body = range ? object.bytes.subarray(range.start, range.end + 1) : object.bytes;
  const headers: Record<string, string> = {
    'accept-ranges': 'bytes',
    'content-type': object.contentType.includes('text/html') ? 'text/plain' : object.contentType,
    etag: object.etag,
    'x-robots-tag': 'none',
    'last-modified': new Date(object.lastModified).toUTCString(),
    'content-length': String(body.length),
  };
  if (extra.expires !== undefined) headers.expires = new Date(extra.expires * 1000).toUTCString();
  else headers['cache-control'] = object.cacheControl;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${object.bytes.length}`;
  if (extra.download !== undefined && extra.download !== null) {
    const name = encodeURIComponent(extra.download);
    headers['content-disposition'] = extra.download === '' ? 'attachment;' : `attachment; filename=${name}; filename*=UTF-8''${name}`;
  }
  res.writeHead(range ? 206 : 200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function metadataHeader(header: string | string[] | undefined): Record<string, unknown> | undefined {
  if (typeof header !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
