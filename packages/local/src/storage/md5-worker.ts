import { Worker } from 'node:worker_threads';

/**
 * The worker's code, run as an eval'd CommonJS script so that bundlers need no second file.
 * It hashes a file as it grows: `start` opens it, `advance` hashes up to a length the event loop
 * has written, `finish` hashes the rest and replies with the digest; `abort` drops it. A failed
 * read closes the file and is the reply to `finish`.
 */
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const files = new Map();
const buffer = Buffer.allocUnsafe(1 << 20);
const close = (file) => {
  if (file.fd === undefined) return;
  try { closeSync(file.fd); } catch {}
  file.fd = undefined;
};
parentPort.on('message', (m) => {
  if (m.type === 'start') {
    const file = { fd: undefined, hash: createHash('md5'), at: 0, error: undefined };
    try { file.fd = openSync(m.path, 'r'); } catch (error) { file.error = String(error && error.message); }
    files.set(m.id, file);
    return;
  }
  const file = files.get(m.id);
  if (m.type === 'abort' || !file) {
    if (file) close(file);
    files.delete(m.id);
    if (m.type === 'finish') parentPort.postMessage({ id: m.id, error: 'no such stream' });
    return;
  }
  try {
    if (file.error) throw new Error(file.error);
    while (file.at < m.upTo) {
      const n = readSync(file.fd, buffer, 0, Math.min(buffer.length, m.upTo - file.at), file.at);
      if (n === 0) throw new Error('the file ends at byte ' + file.at + ', before ' + m.upTo);
      file.hash.update(buffer.subarray(0, n));
      file.at += n;
    }
    if (m.type === 'finish') parentPort.postMessage({ id: m.id, digest: file.hash.digest('hex') });
  } catch (error) {
    file.error = String(error && error.message);
    close(file);
    if (m.type === 'finish') parentPort.postMessage({ id: m.id, error: file.error });
  }
  if (m.type === 'finish') {
    close(file);
    files.delete(m.id);
  }
});
`;

type Message =
  | { type: 'start'; id: number; path: string }
  | { type: 'advance' | 'finish'; id: number; upTo: number }
  | { type: 'abort'; id: number };
type Reply = { id: number; digest?: string; error?: string };

interface Waiter {
  resolve(digest: string): void;
  reject(error: Error): void;
}

/**
 * One thread per process that MD5-hashes files being written, so a large streamed put does not
 * spend the event loop on its etag (10.8 ms per 8 MiB; with two puts in flight the loop was busy
 * hashing most of the time). Started on the first large stream, it costs about 19 MiB of RSS
 * and 75 ms once; it does not keep the process alive unless a digest is awaited. When it cannot
 * start or dies, every stream it held rejects its `finish`, and the caller hashes on its own.
 */
export class Md5Worker {
  private worker: Worker | undefined;
  private nextId = 1;
  /** Streams started on the current worker; a new worker knows none of the old one's. */
  private streams = new Set<number>();
  private readonly waiting = new Map<number, Waiter>();

  constructor(private readonly source = SOURCE) {}

  /** A stream id for `path`, or undefined when no worker can run (the caller hashes itself). */
  start(path: string): number | undefined {
    const worker = this.running();
    if (!worker) return undefined;
    const id = this.nextId++;
    this.streams.add(id);
    this.post(worker, { type: 'start', id, path });
    return id;
  }

  advance(id: number, upTo: number): void {
    if (this.worker && this.streams.has(id)) this.post(this.worker, { type: 'advance', id, upTo });
  }

  /** The MD5 of the file's first `upTo` bytes, hex. */
  finish(id: number, upTo: number): Promise<string> {
    const worker = this.worker;
    if (!worker || !this.streams.delete(id)) return Promise.reject(new Error('The hashing worker that held this stream stopped.'));
    return new Promise<string>((resolve, reject) => {
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.post(worker, { type: 'finish', id, upTo });
    });
  }

  abort(id: number): void {
    if (this.worker && this.streams.delete(id)) this.post(this.worker, { type: 'abort', id });
  }

  /** Stops the thread; streams in flight fall back to their callers. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.failAll(new Error('The hashing worker was stopped.'));
    await worker.terminate();
  }

  private running(): Worker | undefined {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(this.source, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
    } catch {
      return undefined;
    }
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    const died = (error: Error) => {
      if (this.worker === worker) this.failAll(error);
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`The hashing worker exited with code ${code}.`)));
    this.worker = worker;
    return worker;
  }

  private post(worker: Worker, message: Message): void {
    worker.postMessage(message);
  }

  private settle(reply: Reply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (reply.digest !== undefined) waiter.resolve(reply.digest);
    else waiter.reject(new Error(reply.error ?? 'The hashing worker gave no digest.'));
  }

  private failAll(error: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.streams = new Set();
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    worker?.unref();
    for (const waiter of waiters) waiter.reject(error);
  }
}
