import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The embedded storage serves its signed URLs with a `node:http` handler; a route handler gets a
 * web Request. This adapts one to the other: the request body becomes a Readable with the method,
 * URL and headers the handler reads, and what the handler writes becomes the Response. Only the
 * embedded storage needs it: a bucket serves its own URLs. Null when there is no handler.
 */
export function serveThroughNodeHandler(handler: NodeHandler | undefined, request: Request): Promise<Response> | null {
  if (typeof handler !== 'function') return null;
  const url = new URL(request.url);
  const body = request.body ? Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>) : Readable.from([]);
  const req = Object.assign(body, {
    method: request.method,
    url: `${url.pathname}${url.search}`,
    headers: Object.fromEntries(request.headers),
  }) as unknown as IncomingMessage;

  return new Promise((resolve, reject) => {
    const out = new PassThrough();
    const res = Object.assign(out, {
      headersSent: false,
      writeHead(status: number, headers: Record<string, string> = {}) {
        res.headersSent = true;
        const empty = request.method === 'HEAD' || status === 204 || status === 304;
        resolve(new Response(empty ? null : (Readable.toWeb(out) as ReadableStream<Uint8Array>), { status, headers }));
        return res;
      },
    }) as unknown as ServerResponse & { headersSent: boolean };
    handler(req, res)
      .then((handled) => {
        if (!handled) resolve(new Response('Not found', { status: 404 }));
      })
      .catch(reject);
  });
}
