import { createHash, randomUUID } from 'node:crypto';
import { link, lstat, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SwitchyardError } from '@switchyard/core/adapter';

/**
 * One writer at a time per key, across every process that shares the directory.
 *
 * Why a lock: a conditional put is "check the current version, then replace it", and no
 * filesystem call does both. `link`/`O_EXCL` create only if absent, which would do for
 * ifNoneMatch alone, but ifMatch needs a compare-and-swap that `rename` cannot express, and an
 * unconditional write landing between another writer's check and its rename would be silently
 * replaced: exactly what conditional puts exist to prevent. So every write and delete of a key
 * holds `locks/<hash>.lock` across its check and its rename (the bytes are streamed to a temp
 * file before, so the lock is held for a few system calls). Readers never lock: the rename is
 * atomic.
 *
 * Taking the lock is `link(holder, lock)`: atomic create-if-absent on local filesystems and
 * NFSv3+, and one system call (a fresh `open(…, 'wx')` plus writing who holds it costs four,
 * several times the time on the put path). The holder file, made once per instance, names the
 * process. `flock` would be released by the kernel when its holder dies, but Node has no binding
 * for it; instead a lock whose process is gone (same host) or whose holder has not taken or
 * released any lock for `STALE_MS` (any host) is taken over.
 */
export function lockPath(root: string, objectFile: string): string {
  return join(root, 'locks', `${basename(objectFile, '.obj')}.lock`);
}

/** A holder keeps a lock for a few system calls; one idle this long belongs to a process that stalled or died. */
const STALE_MS = 30_000;
/** Holder files are named `<host>-<pid>-<uuid>.holder`, so dead ones can be found without reading them. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 12);
const HOLDER_NAME = /^([0-9a-f]{12})-(\d+)-[\w-]+\.holder$/;

interface Holder {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(text: string, changedMs: number): boolean {
  if (Date.now() - changedMs > STALE_MS) return true;
  let holder: Holder;
  try {
    holder = JSON.parse(text) as Holder;
  } catch {
    return false; // being written by its holder right now
  }
  return holder.host === hostname() && !alive(holder.pid);
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

export class KeyLocks {
  /** Writers of one key in this process queue here instead of polling the file. */
  private readonly queues = new Map<string, Promise<void>>();
  private holder: Promise<string> | undefined;

  constructor(
    private readonly root: string,
    private readonly timeoutMs: number,
  ) {}

  /** Removes this instance's holder file; a later write makes a new one. */
  async close(): Promise<void> {
    const holder = await this.holder?.catch(() => undefined);
    this.holder = undefined;
    if (holder) await rm(holder, { force: true });
  }

  /** Runs `fn` holding the lock at `path`; UNAVAILABLE (retryable) if it stays taken for `timeoutMs`. */
  async hold<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    const previous = this.queues.get(path);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The next writer waits for this one and everything before it, even if this one gives up early.
    const tail = Promise.all([previous, mine]).then(() => undefined);
    this.queues.set(path, tail);
    void tail.then(() => {
      if (this.queues.get(path) === tail) this.queues.delete(path);
    });
    try {
      if (!(await this.turn(previous, deadline))) throw this.timedOut(path);
      await this.acquire(path, deadline);
      try {
        return await fn();
      } finally {
        // ENOENT: the folder was removed behind our back, taking the lock with it.
        await unlink(path).catch((error: unknown) => {
          if (code(error) !== 'ENOENT') throw error;
        });
      }
    } finally {
      release();
    }
  }

  /** Waits for the writers of this process ahead of us; false past `deadline`. */
  private async turn(previous: Promise<void> | undefined, deadline: number): Promise<boolean> {
    if (!previous) return true;
    const timer = new AbortController();
    try {
      const expired = sleep(Math.max(0, deadline - Date.now()), false, { signal: timer.signal }).catch(() => false);
      return await Promise.race([previous.then(() => true), expired]);
    } finally {
      timer.abort();
    }
  }

  private async acquire(path: string, deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(await this.holderFile(), path);
        return;
      } catch (error) {
        if (code(error) === 'ENOENT') {
          // The locks folder, or our holder file, was removed behind our back: make them again.
          this.holder = undefined;
          if (attempt < 3) continue;
        }
        if (code(error) !== 'EEXIST') throw error;
      }
      if (await this.takeOverIfStale(path)) continue;
      if (Date.now() >= deadline) throw this.timedOut(path);
      // Backs off to 50 ms with jitter, so racing processes do not retry in step.
      await sleep(Math.min(50, 2 ** attempt) * (0.5 + Math.random()));
    }
  }

  /** This instance's holder file, made on first use; holder files of dead processes on this host are swept then. */
  private holderFile(): Promise<string> {
    this.holder ??= (async () => {
      const folder = join(this.root, 'locks');
      await mkdir(folder, { recursive: true });
      const path = join(folder, `${HOST}-${process.pid}-${randomUUID()}.holder`);
      await writeFile(path, JSON.stringify({ pid: process.pid, host: hostname() } satisfies Holder), { flag: 'wx' });
      for (const name of await readdir(folder)) {
        const match = HOLDER_NAME.exec(name);
        if (match?.[1] === HOST && !alive(Number(match[2]))) await rm(join(folder, name), { force: true });
      }
      return path;
    })().catch((error: unknown) => {
      this.holder = undefined;
      throw error;
    });
    return this.holder;
  }

  /** True when the lock is gone or was stale and has been removed: try again at once. */
  private async takeOverIfStale(path: string): Promise<boolean> {
    let text: string;
    let changedMs: number;
    try {
      // ctime: a link to the holder file changes whenever its process takes or releases a lock.
      [text, { ctimeMs: changedMs }] = await Promise.all([readFile(path, 'utf8'), lstat(path)]);
    } catch (error) {
      if (code(error) === 'ENOENT') return true;
      throw error;
    }
    if (!isStale(text, changedMs)) return false;
    // Moved aside, not deleted: if another process took the stale lock over and made a fresh
    // one between our read and this rename, we moved *its* lock, and put it back.
    const aside = `${path}.${randomUUID()}.stale`;
    try {
      await rename(path, aside);
    } catch (error) {
      if (code(error) === 'ENOENT') return true;
      throw error;
    }
    const moved = await readFile(aside, 'utf8').catch(() => text);
    if (moved !== text) await link(aside, path).catch(() => undefined);
    await rm(aside, { force: true });
    return true;
  }

  private timedOut(path: string): SwitchyardError {
    return new SwitchyardError({
      code: 'UNAVAILABLE',
      port: 'storage',
      provider: 'local',
      operation: 'put',
      message: `Another writer of this key held its lock for over ${this.timeoutMs} ms; try again. If no process is writing, remove ${path}.`,
    });
  }
}
