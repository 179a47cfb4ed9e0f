import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { keyProblem, SwitchyardError } from '@switchyard/core/adapter';
import { servedInline } from './content-type.js';
import { type LingerLimits, reply } from './http-reply.js';
import { receive } from './http-upload.js';
import type { LocalStorage } from './local-storage.js';
import { grantFromUrl, verify } from './signing.js';

/** `attachment`, naming the file (RFC 6266: an ASCII fallback, then the exact name in UTF-8). */
function attachment(fileName: string): string {
  if (fileName === '') return 'attachment';
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function parseRange(header: string | undefined): { start: number; end?: number } | undefined {
  const match = header?.match(/^bytes=(\d+)-(\d*)$/);
  if (!match) return undefined;
  return match[2] ? { start: Number(match[1]), end: Number(match[2]) } : { start: Number(match[1]) };
}

async function serve(storage: LocalStorage, req: IncomingMessage, res: ServerResponse, key: string, downloadAs?: string) {
  const range = parseRange(req.headers.range);
  const object = await storage.get(key, range ? { range } : {});
  const { info } = object;
  const headers: Record<string, string> = {
    'content-type': info.contentType,
    // Browsers must take the stored type at its word, never guess a page out of the bytes.
    'x-content-type-options': 'nosniff',
    'accept-ranges': 'bytes',
    'last-modified': info.lastModified.toUTCString(),
  };
  if (info.etag) headers.etag = info.etag;
  if (info.cacheControl) headers['cache-control'] = info.cacheControl;
  if (downloadAs !== undefined) headers['content-disposition'] = attachment(downloadAs);
  else if (!servedInline(info.contentType)) headers['content-disposition'] = attachment(key.slice(key.lastIndexOf('/') + 1));
  const length = object.range ? object.range.end - object.range.start + 1 : info.size;
  headers['content-length'] = String(length);
  if (object.range) headers['content-range'] = `bytes ${object.range.start}-${object.range.end}/${info.size}`;
  res.writeHead(object.range ? 206 : 200, headers);
  if (req.method === 'HEAD') {
    await object.body.cancel();
    res.end();
    return;
  }
  // pipeline, not pipe: a client that leaves mid-download cancels the body, which closes the file.
  await pipeline(Readable.fromWeb(object.body as import('node:stream/web').ReadableStream<Uint8Array>), res).catch(() => undefined);
}

function decodeKey(path: string): string | undefined {
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/**
 * A `node:http` request handler for the URLs LocalStorage signs, mounted at `basePath`
 * (the path of its `baseUrl`): `PUT|GET|HEAD <base>/o/<key>?…signature…`, and `GET <base>/p/<key>`
 * when `publicRead` is on. Returns false when the request is not under `basePath`, so it can sit in
 * front of an application's own routes.
 */
export function storageRequestHandler(storage: LocalStorage, linger: LingerLimits = {}) {
  const basePath = storage.baseUrl ? new URL(storage.baseUrl).pathname.replace(/\/$/, '') : '';
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (!url.pathname.startsWith(`${basePath}/`)) return false;
    const rest = url.pathname.slice(basePath.length);
    const kind = rest.slice(0, 3);
    const key = decodeKey(rest.slice(3));
    const refuse = (status: number, message: string) => reply(req, res, status, message, linger);
    try {
      if (key === undefined) refuse(400, 'The object key in the URL is not valid percent-encoding.');
      else if (keyProblem(key) !== null || (kind !== '/o/' && kind !== '/p/')) {
        refuse(404, 'Not found.');
      } else if (kind === '/p/') {
        if (!storage.capabilities.publicUrls || (req.method !== 'GET' && req.method !== 'HEAD')) refuse(404, 'Not found.');
        else await serve(storage, req, res, key);
      } else {
        const claimed = grantFromUrl(key, url.searchParams);
        const expectedOp = req.method === 'PUT' ? 'put' : req.method === 'GET' || req.method === 'HEAD' ? 'get' : undefined;
        if (!expectedOp) refuse(405, 'Use PUT to upload or GET to download.');
        else if (!claimed || claimed.grant.op !== expectedOp || !verify(await storage.secret, claimed.grant, claimed.signature)) {
          refuse(403, 'The signature does not match this request.');
        } else if (claimed.grant.expires * 1000 < Date.now()) refuse(403, 'This signed URL has expired.');
        else if (expectedOp === 'put') {
          const refusal = await receive(storage, req, res, claimed.grant);
          if (refusal) refuse(refusal.status, refusal.message);
        } else await serve(storage, req, res, key, claimed.grant.downloadAs);
      }
    } catch (error) {
      if (SwitchyardError.hasCode(error, 'NOT_FOUND')) refuse(404, 'No such object.');
      else if (SwitchyardError.hasCode(error, 'INVALID_INPUT')) refuse(416, 'The requested range cannot be satisfied.');
      else refuse(500, 'Local storage failed to handle the request.');
    }
    return true;
  };
}
