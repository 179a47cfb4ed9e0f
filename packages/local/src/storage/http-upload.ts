import type { IncomingMessage, ServerResponse } from 'node:http';
import { SwitchyardError } from '@switchyard/core/adapter';
import { mediaType, uploadedContentType } from './content-type.js';
import type { LocalStorage } from './local-storage.js';
import type { Grant } from './signing.js';

/** Why an upload was refused; the handler answers it (see `reply`). */
export interface Refusal {
  status: number;
  message: string;
}

/**
 * The request body as an async iterable that, when the writer stops early (too large, disk
 * failure), leaves the request open: destroying it would reset the socket before the answer is
 * out. Iterating the Node stream directly, not through `Readable.toWeb`: that adapter enqueues
 * 'data' events into a web stream the writer has already cancelled, which throws
 * ERR_INVALID_STATE from an event handler, an uncaught exception that ended the process.
 */
function bodyOf(req: IncomingMessage): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => req.iterator({ destroyOnReturn: false }) as AsyncIterator<Uint8Array> };
}

/**
 * Handles `PUT` to a verified upload URL: answers 200 itself, or returns the refusal for the
 * caller to answer, possibly before the whole body was read.
 */
export async function receive(
  storage: LocalStorage,
  req: IncomingMessage,
  res: ServerResponse,
  grant: Grant,
): Promise<Refusal | undefined> {
  if (grant.contentType !== undefined && mediaType(req.headers['content-type']) !== mediaType(grant.contentType)) {
    return { status: 403, message: `This upload URL only accepts Content-Type ${grant.contentType}.` };
  }
  const max = grant.maxBytes ?? Number.POSITIVE_INFINITY;
  const tooLarge = { status: 413, message: `This upload URL accepts at most ${max} bytes.` };
  if (Number(req.headers['content-length']) > max) return tooLarge;
  const contentType = uploadedContentType(grant.contentType, req.headers['content-type']);
  try {
    const info = await storage.write(grant.key, bodyOf(req), { contentType }, max);
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', etag: info.etag ?? '' });
    res.end(JSON.stringify({ key: info.key, size: info.size, etag: info.etag }));
    return undefined;
  } catch (error) {
    // write() refuses one input only, a body over the limit; anything else is ours, or a client that left.
    if (SwitchyardError.hasCode(error, 'INVALID_INPUT')) return tooLarge;
    return { status: 500, message: 'Local storage could not store the upload.' };
  }
}
