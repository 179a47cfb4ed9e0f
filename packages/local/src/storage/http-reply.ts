import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long the handler keeps reading a request body it has already answered; see `reply`. */
export interface LingerLimits {
  /** Most bytes read and dropped after the answer. Default 128 MiB. */
  maxBytes?: number;
  /** Longest time spent dropping them, in ms. Default 30,000 (nginx's `lingering_time`). */
  maxMs?: number;
  /** Give up after this long without a byte, in ms. Default 5,000 (nginx's `lingering_timeout`). */
  idleMs?: number;
}

const DEFAULTS: Required<LingerLimits> = { maxBytes: 128 * 1024 * 1024, maxMs: 30_000, idleMs: 5_000 };

/**
 * Answers with a JSON error, even while the request body is still arriving (a 413 over
 * `maxBytes`, a 403 before any byte was read).
 *
 * Most clients keep sending after an early answer. A server that closes a socket with unread
 * bytes makes its kernel answer them with a reset, and the client's kernel may then throw away
 * the answer it had not read yet (RFC 9112 §9.6; nginx's "lingering close" exists for this).
 * Destroying the request right after replying turned 413s into resets, and so does Node's own
 * close after the response ends when the client asked for `Connection: close`. So the whole
 * answer is written at once (its Content-Length tells the client it is complete, and
 * `Connection: close` tells it to stop sending), but the response is ended, and the connection
 * closed, only once the client has stopped sending; within `linger` bounds, after which the
 * connection is cut.
 */
export function reply(req: IncomingMessage, res: ServerResponse, status: number, message: string, linger: LingerLimits): void {
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: message });
  const bodyComing = !req.complete;
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(body)),
    ...(bodyComing ? { connection: 'close' } : {}),
  });
  if (!bodyComing || req.destroyed) {
    res.end(body);
    return;
  }
  res.write(body);
  discardRest(req, { ...DEFAULTS, ...linger }, () => res.end());
}

/** Reads and drops the rest of the body, then calls `done`; destroys the connection past `limits`. */
function discardRest(req: IncomingMessage, limits: Required<LingerLimits>, done: () => void): void {
  let dropped = 0;
  const settle = () => {
    clearTimeout(total);
    clearTimeout(idle);
    req.off('data', onData);
    req.off('end', ended);
    req.off('close', settle);
  };
  const stop = () => {
    settle();
    req.socket?.destroy();
  };
  const ended = () => {
    settle();
    done();
  };
  const onData = (chunk: Buffer) => {
    dropped += chunk.length;
    idle.refresh();
    if (dropped > limits.maxBytes) stop();
  };
  // Unref'd: a client still dribbling never holds a process that is shutting down.
  const total = setTimeout(stop, limits.maxMs).unref();
  const idle = setTimeout(stop, limits.idleMs).unref();
  req.on('data', onData);
  req.once('end', ended);
  req.once('close', settle);
  req.resume();
}
