import { once } from 'node:events';
import { type Agent, request } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a client that keeps sending saw. */
export interface RawUploadResult {
  /** The status of a response read to its end; undefined when none arrived whole. */
  status?: number;
  text: string;
  /** Bytes of the body the client managed to hand to its socket. */
  sent: number;
  /** A socket error the client saw while sending or reading (a reset, a broken pipe). */
  error?: string;
}

export interface RawUploadOptions {
  size: number;
  /** Chunked (no Content-Length) or with a truthful Content-Length. */
  framing: 'chunked' | 'length';
  contentType?: string;
  chunkBytes?: number;
  /** A pause before each chunk: a slow drip. */
  pauseMs?: number;
  /** Stop sending once the response has arrived (as a careful client would). */
  stopOnResponse?: boolean;
  /** A keep-alive agent; by default none, so Node's client asks for `Connection: close`. */
  agent?: Agent;
}

/**
 * A PUT through `node:http` that writes its body chunk by chunk and keeps going after an early
 * response, as most clients do; it settles once both the response and the sending are over.
 */
export function rawUpload(url: string, options: RawUploadOptions): Promise<RawUploadResult> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, 0x61);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'image/png' };
  if (options.framing === 'length') headers['content-length'] = String(options.size);
  const result: RawUploadResult = { text: '', sent: 0 };
  let responded = false;
  const req = request(url, { method: 'PUT', headers, agent: options.agent ?? false });

  const response = new Promise<void>((resolve) => {
    req.once('response', (res) => {
      responded = true;
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        result.text += text;
      });
      res.once('end', () => {
        result.status = res.statusCode;
        resolve();
      });
      res.once('error', (error) => {
        result.error ??= (error as NodeJS.ErrnoException).code ?? error.message;
        resolve();
      });
      res.once('aborted', () => resolve());
    });
    req.once('error', (error) => {
      result.error ??= (error as NodeJS.ErrnoException).code ?? error.message;
      resolve();
    });
  });

  async function* body(): AsyncGenerator<Buffer> {
    let left = options.size;
    while (left > 0 && !(options.stopOnResponse && responded)) {
      if (options.pauseMs) await sleep(options.pauseMs);
      const part = chunk.subarray(0, Math.min(chunk.length, left));
      left -= part.length;
      result.sent += part.length;
      yield part;
    }
  }
  const sending = pipeline(Readable.from(body(), { objectMode: false }), req).catch((error: NodeJS.ErrnoException) => {
    result.error ??= error.code ?? error.message;
  });
  return Promise.all([response, sending]).then(() => result);
}

/** What a bare socket received. */
export interface Exchange {
  text: string;
  /** The server closed the connection before `waitMs`. */
  closedByServer: boolean;
  /** Body bytes written to the socket. */
  sent: number;
}

/**
 * Writes `head` and then `body` on a bare TCP socket, for what `node:http` will not do (a
 * Content-Length that lies, sending on after a `Connection: close` answer); resolves with
 * everything the server sent until it closed, or until `waitMs` passed.
 */
export function rawExchange(origin: string, head: string, body: Buffer | Iterable<Buffer>, waitMs = 5000): Promise<Exchange> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const result: Exchange = { text: '', closedByServer: false, sent: 0 };
    let open = true;
    const send = async () => {
      socket.write(head);
      for (const chunk of Buffer.isBuffer(body) ? [body] : body) {
        if (!open) break;
        result.sent += chunk.length;
        if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
      }
    };
    // A failed write ends the exchange through the socket's own error and close events.
    const socket = connect(Number(port), hostname, () => void send().catch(() => undefined));
    const finish = (closedByServer: boolean) => {
      if (!open) return;
      open = false;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...result, closedByServer });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      result.text += text;
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

/** `total` bytes of chunked transfer coding, 64 KiB per chunk, without the final chunk. */
export function* chunkedBody(total: number): Generator<Buffer> {
  const data = Buffer.alloc(64 * 1024, 0x64);
  const chunk = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
  for (let sent = 0; sent < total; sent += data.length) yield chunk;
}

/** The request line and headers of a PUT to `url`. */
export function putHead(url: string, headers: Record<string, string>): string {
  const { pathname, search, host } = new URL(url);
  const lines = [`PUT ${pathname}${search} HTTP/1.1`, `Host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}
