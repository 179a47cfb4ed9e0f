import { close, fstat, fsync, open, read, write, writev } from 'node:fs';

/** Descriptors of files dropped unclosed (a body never read nor cancelled), closed when collected. */
const unclosed = new FinalizationRegistry<number>((fd) => close(fd, () => undefined));

type Done<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

/**
 * An object file through a bare descriptor and node:fs's callback calls, not a FileHandle: each of
 * FileHandle's promise calls costs more CPU than the system call it makes, and a small object's
 * get is four of them (open, stat, read, close), its put five. What FileHandle does besides is
 * done here too: `close` waits for the calls in flight (a descriptor closed under a pending write
 * could be reused by another file and receive its bytes), later calls are refused, and a file
 * handed to a stream that is then dropped is closed when collected (`guard`).
 */
export class ObjectFd {
  private closed: Promise<void> | undefined;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  private constructor(private readonly fd: number) {}

  /** The file at `path` opened for reading; null when there is none. */
  static open(path: string): Promise<ObjectFd | null> {
    return new Promise((resolve, reject) => {
      open(path, 'r', (error, fd) => {
        if (!error) resolve(new ObjectFd(fd));
        else if (error.code === 'ENOENT') resolve(null);
        else reject(error);
      });
    });
  }

  /** A new file at `path` (replacing any) opened for writing. */
  static create(path: string): Promise<ObjectFd> {
    return new Promise((resolve, reject) => {
      open(path, 'w', (error, fd) => (error ? reject(error) : resolve(new ObjectFd(fd))));
    });
  }

  size(): Promise<number> {
    return this.call<number>((fd, done) => fstat(fd, (error, stats) => done(error, stats?.size)));
  }

  /** Reads into `buffer` at `offset`; resolves with the bytes read (0 at the end of the file). */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return this.call<number>((fd, done) => read(fd, buffer, offset, length, position, done));
  }

  /** Appends all of `chunks`, in order: one system call unless the kernel takes less. */
  async append(chunks: readonly Uint8Array[]): Promise<void> {
    let written = await this.call<number>((fd, done) => writev(fd, chunks as Uint8Array[], done));
    // A short write (a full disk, a signal) leaves the rest to write, or the error to surface.
    for (const chunk of chunks) {
      const taken = Math.min(written, chunk.byteLength);
      written -= taken;
      for (let at = taken; at < chunk.byteLength; ) at += await this.write(chunk.subarray(at));
    }
  }

  sync(): Promise<void> {
    return this.call<void>((fd, done) => fsync(fd, (error) => done(error, undefined)));
  }

  /** Closes the file once, after the calls in flight, however often it is called. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      unclosed.unregister(this);
      if (this.inFlight > 0) {
        await new Promise<void>((resolve) => {
          this.idle = resolve;
        });
      }
      await new Promise<void>((resolve, reject) => close(this.fd, (error) => (error ? reject(error) : resolve())));
    })();
    return this.closed;
  }

  /** For a file that outlives the call that opened it: closed when collected if nothing closed it. */
  guard(): void {
    // Never for a closed one: its number may already belong to another file.
    if (!this.closed) unclosed.register(this, this.fd, this);
  }

  private write(bytes: Uint8Array): Promise<number> {
    return this.call<number>((fd, done) =>
      write(fd, bytes, (error, written) => done(error ?? (written === 0 ? diskTookNothing() : null), written)),
    );
  }

  private call<T>(start: (fd: number, done: Done<T>) => void): Promise<T> {
    if (this.closed) return Promise.reject(Object.assign(new Error('The object file is closed.'), { code: 'EBADF' }));
    this.inFlight++;
    return new Promise<T>((resolve, reject) => {
      start(this.fd, (error, value) => {
        if (--this.inFlight === 0) this.idle?.();
        if (error) reject(error);
        else resolve(value);
      });
    });
  }
}

function diskTookNothing(): NodeJS.ErrnoException {
  return Object.assign(new Error('The disk took none of the bytes written.'), { code: 'EIO' });
}
