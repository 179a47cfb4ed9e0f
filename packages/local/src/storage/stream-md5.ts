import { createHash, type Hash } from 'node:crypto';
import { Md5Worker } from './md5-worker.js';
import { ObjectFd } from './object-fd.js';
import { readInto } from './object-file.js';

/** Up to here a stream is hashed on the event loop as it arrives: cheaper than a round trip to the worker. */
export const OFFLOAD_AFTER_BYTES = 256 * 1024;
/** The worker is told to catch up with the file every this many bytes written. */
const STEP_BYTES = 256 * 1024;
const READ_BYTES = 1024 * 1024;

const shared = new Md5Worker();

/**
 * The MD5 of a stream being written to `path`. Its first `OFFLOAD_AFTER_BYTES` are hashed as they
 * arrive; past that, the worker hashes the file itself, catching up as the writes land, and the
 * bytes it hashed are the bytes on disk. If the worker fails, the file is hashed here from the start.
 */
export class StreamMd5 {
  private local: Hash | undefined = createHash('md5');
  private id: number | undefined;
  private seen = 0;
  private posted = 0;

  constructor(
    private readonly path: string,
    private readonly worker: Md5Worker = shared,
  ) {}

  /** Called with each chunk before it is written. */
  update(chunk: Uint8Array): void {
    this.seen += chunk.byteLength;
    if (this.local && this.seen > OFFLOAD_AFTER_BYTES && this.id === undefined) {
      const id = this.worker.start(this.path);
      // Without a worker, the event loop keeps hashing what it has begun.
      if (id !== undefined) {
        this.id = id;
        this.local = undefined;
      }
    }
    this.local?.update(chunk);
  }

  /** Called once the file holds `total` bytes. */
  written(total: number): void {
    if (this.id !== undefined && total - this.posted >= STEP_BYTES) {
      this.worker.advance(this.id, total);
      this.posted = total;
    }
  }

  /** The hex MD5 of the file's first `total` bytes, all written. */
  async digest(total: number): Promise<string> {
    if (this.local) return this.local.digest('hex');
    try {
      return await this.worker.finish(this.id as number, total);
    } catch {
      return hashFile(this.path, total);
    }
  }

  /** The put failed: the worker lets go of the file. */
  abort(): void {
    if (this.id !== undefined) this.worker.abort(this.id);
  }
}

async function hashFile(path: string, total: number): Promise<string> {
  const file = await ObjectFd.open(path);
  if (!file) throw new Error(`The temporary file ${path} is gone.`);
  try {
    const hash = createHash('md5');
    const buffer = Buffer.allocUnsafeSlow(Math.min(READ_BYTES, total));
    for (let at = 0; at < total; at += buffer.length) {
      const piece = buffer.subarray(0, Math.min(buffer.length, total - at));
      await readInto(file, piece, 0, at);
      hash.update(piece);
    }
    return hash.digest('hex');
  } finally {
    await file.close();
  }
}
