import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** An injected failure: the next matching request answers with this status and body instead. */
export interface Fault {
  /** Only requests whose path contains this string; any request when absent. */
  path?: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeServer {
  url: string;
  /** Makes the next matching request fail (for error-mapping tests). */
  failNext(fault: Fault): void;
  /** Requests served so far, as "METHOD path". */
  readonly requests: string[];
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readJson<T = Record<string, unknown>>(req: IncomingMessage): Promise<T> {
  const body = await readBody(req);
  return (body.length > 0 ? JSON.parse(body.toString('utf8')) : {}) as T;
}

/** Serves `handler` on 127.0.0.1 with a free port; a handler that throws answers 500. */
export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  const faults: Fault[] = [];
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}`);
    const index = faults.findIndex((fault) => fault.path === undefined || url.pathname.includes(fault.path));
    if (index >= 0) {
      const [fault] = faults.splice(index, 1);
      req.resume();
      sendJson(res, fault!.status, fault!.body, fault!.headers);
      return;
    }
    handler(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `fake failed: ${(error as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (fault) => faults.push(fault),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
