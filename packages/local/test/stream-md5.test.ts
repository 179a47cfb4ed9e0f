import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Md5Worker } from '../src/storage/md5-worker.js';
import { OFFLOAD_AFTER_BYTES, StreamMd5 } from '../src/storage/stream-md5.js';

const run = promisify(execFile);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
/** What this process's descriptors point at (the worker's share the table). */
const openFiles = () =>
  readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return '';
    }
  });

/** Writes `body` to `path` in chunks of `chunk` bytes as ObjectWriter does, then returns the digest. */
async function writeHashed(hasher: StreamMd5, path: string, body: Buffer, chunk: number, between?: (at: number) => Promise<void>) {
  await writeFile(path, '');
  for (let at = 0; at < body.length; at += chunk) {
    const piece = body.subarray(at, at + chunk);
    hasher.update(piece);
    await appendFile(path, piece);
    hasher.written(at + piece.length);
    await between?.(at + piece.length);
  }
  return hasher.digest(body.length);
}

describe('StreamMd5', () => {
  let directory: string;
  let worker: Md5Worker;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-md5-'));
    worker = new Md5Worker();
  });

  afterEach(async () => {
    await worker.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('gives the MD5 of the bytes at every size around where the worker takes over', async () => {
    const sizes = [0, 1, OFFLOAD_AFTER_BYTES - 1, OFFLOAD_AFTER_BYTES, OFFLOAD_AFTER_BYTES + 1, 3 * 1024 * 1024 + 7];
    for (const size of sizes) {
      for (const chunk of [65_536, 1000]) {
        const body = randomBytes(size);
        const path = join(directory, `${size}-${chunk}.part`);
        expect(await writeHashed(new StreamMd5(path, worker), path, body, chunk), `${size} bytes in ${chunk}`).toBe(md5(body));
      }
    }
  });

  it('keeps streams apart when several are hashed at once', async () => {
    const bodies = [0, 1, 2, 3].map((i) => randomBytes(2 * 1024 * 1024 + i * 4099));
    const digests = await Promise.all(
      bodies.map((body, i) => writeHashed(new StreamMd5(join(directory, `${i}.part`), worker), join(directory, `${i}.part`), body, 65_536)),
    );
    expect(digests).toEqual(bodies.map(md5));
  });

  it('hashes the file itself when the worker stops in the middle of a stream', async () => {
    const body = randomBytes(4 * 1024 * 1024);
    const path = join(directory, 'stopped.part');
    const stopAt = 2 * 1024 * 1024;
    const digest = await writeHashed(new StreamMd5(path, worker), path, body, 65_536, async (at) => {
      if (at === stopAt) await worker.stop();
    });
    expect(digest).toBe(md5(body));
  });

  it('hashes the file itself when the worker crashes or cannot run its code', async () => {
    for (const source of [
      "require('node:worker_threads').parentPort.on('message', () => process.exit(3));",
      "throw new Error('no worker here');",
    ]) {
      const broken = new Md5Worker(source);
      const body = randomBytes(2 * 1024 * 1024 + 5);
      const path = join(directory, 'broken.part');
      expect(await writeHashed(new StreamMd5(path, broken), path, body, 65_536)).toBe(md5(body));
      // The stream after the failure gets a new worker, or hashes here again: the same answer.
      expect(await writeHashed(new StreamMd5(path, broken), path, body, 65_536)).toBe(md5(body));
      await broken.stop();
    }
  });

  it('lets go of the file when the put fails part way', async () => {
    const path = join(directory, 'aborted.part');
    const aborted = new StreamMd5(path, worker);
    const body = randomBytes(2 * 1024 * 1024);
    await writeFile(path, '');
    for (let at = 0; at < body.length / 2; at += 65_536) {
      aborted.update(body.subarray(at, at + 65_536));
      await appendFile(path, body.subarray(at, at + 65_536));
      aborted.written(at + 65_536);
    }
    // The worker opens the file when its start message arrives.
    await vi.waitFor(() => expect(openFiles().filter((file) => file.endsWith('aborted.part'))).toHaveLength(1));
    aborted.abort();
    // The worker reads its messages in order: once a later stream is done, the abort was handled.
    const next = join(directory, 'next.part');
    await writeHashed(new StreamMd5(next, worker), next, body, 65_536);
    expect(openFiles().filter((file) => file.endsWith('aborted.part'))).toEqual([]);
  });

  it('keeps the process alive while a digest is awaited, and lets it exit after', async () => {
    // A child whose only pending work is the worker's reply: unref'd for good, it would exit early.
    // The last 3 MiB reach the worker only with `finish`, so the reply takes a few milliseconds.
    const script = `
      import { registerHooks } from 'node:module';
      import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
      import { fileURLToPath } from 'node:url';
      // The sources import each other as .js, as the build does.
      registerHooks({
        resolve(specifier, context, next) {
          const ts = specifier.endsWith('.js') && context.parentURL ? new URL(specifier.replace(/\\.js$/, '.ts'), context.parentURL) : undefined;
          return next(ts && existsSync(fileURLToPath(ts)) ? ts.href : specifier, context);
        },
      });
      const { StreamMd5 } = await import(${JSON.stringify(join(import.meta.dirname, '../src/storage/stream-md5.ts'))});
      const path = ${JSON.stringify(join(directory, 'child.part'))};
      const chunk = Buffer.alloc(65536, 7);
      const hash = async (chunks, told) => {
        const hasher = new StreamMd5(path);
        writeFileSync(path, '');
        for (let i = 0; i < chunks; i++) {
          hasher.update(chunk);
          appendFileSync(path, chunk);
          if (i < told) hasher.written((i + 1) * 65536);
        }
        return hasher.digest(chunks * 65536);
      };
      await hash(64, 64);
      await new Promise((resolve) => setTimeout(resolve, 200));
      console.log(await hash(64, 16));
    `;
    // A file, not -e: an evaluated module's pending top-level await holds the process by itself.
    const file = join(directory, 'child.mjs');
    await writeFile(file, script);
    const { stdout } = await run(process.execPath, ['--experimental-transform-types', '--no-warnings', file], { timeout: 20_000 });
    expect(stdout.trim()).toBe(md5(Buffer.alloc(64 * 65_536, 7)));
  });
});
