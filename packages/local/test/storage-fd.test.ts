import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ObjectFd } from '../src/storage/object-fd.js';

// The kernel may take fewer bytes than a writev offers (a full disk, a signal); `append` must
// write the rest. This stand-in writev takes only `short.take` bytes of the first chunk when set.
const short = vi.hoisted(() => ({ take: Number.POSITIVE_INFINITY }));
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return {
    ...real,
    writev: (fd: number, chunks: Uint8Array[], callback: (error: Error | null, written: number) => void) => {
      const first = chunks[0] ?? new Uint8Array(0);
      if (short.take >= first.byteLength) return real.writev(fd, chunks, callback);
      real.write(fd, first, 0, short.take, null, (error, written) => callback(error, written));
    },
  };
});

const run = promisify(execFile);

describe('ObjectFd', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchyard-fd-'));
  });

  afterEach(async () => {
    short.take = Number.POSITIVE_INFINITY;
    await rm(directory, { recursive: true, force: true });
  });

  it('writes every byte in order when the kernel takes only part of a writev', async () => {
    const chunks = [Buffer.from('first chunk;'), Buffer.from('second;'), Buffer.from('third')];
    for (const take of [0, 3, 12, 15]) {
      short.take = take;
      const path = join(directory, `short-${take}`);
      const file = await ObjectFd.create(path);
      await file.append(chunks);
      await file.sync();
      await file.close();
      expect(await readFile(path, 'utf8'), `first writev took ${take} bytes`).toBe('first chunk;second;third');
    }
  });

  it('opens a missing file as null and closes once however often asked', async () => {
    expect(await ObjectFd.open(join(directory, 'none'))).toBeNull();
    const path = join(directory, 'one');
    fs.writeFileSync(path, 'abc');
    const file = await ObjectFd.open(path);
    expect(await file?.size()).toBe(3);
    await Promise.all([file?.close(), file?.close()]);
    await expect(file?.close()).resolves.toBeUndefined();
  });

  // A descriptor closed under a pending call may be reused by the next file opened, which would
  // then receive that call's bytes: close waits, and calls after it are refused.
  it('closes only after the calls in flight, and refuses calls once closing', async () => {
    const path = join(directory, 'busy');
    fs.writeFileSync(path, Buffer.alloc(1 << 20, 7));
    const file = await ObjectFd.open(path);
    if (!file) throw new Error('the file was just written');
    const buffer = Buffer.alloc(1 << 20);
    const order: string[] = [];
    const reading = file.read(buffer, 0, buffer.length, 0).then((bytes) => order.push(`read ${bytes}`));
    const closing = file.close().then(() => order.push('closed'));
    await expect(file.read(buffer, 0, 1, 0)).rejects.toMatchObject({ code: 'EBADF' });
    await Promise.all([reading, closing]);
    expect(order).toEqual([`read ${1 << 20}`, 'closed']);
  });

  // A body handed out but never read nor cancelled must not hold its file forever, as a FileHandle
  // would not: a fresh process, so that collection can be forced.
  it('closes the file of a large body that was dropped unread once it is collected', async () => {
    const script = `
      import { readdirSync, readlinkSync } from 'node:fs';
      import { createLocalStorage } from '@switchyard/local';
      const directory = process.argv[1];
      const open = () => readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync('/proc/self/fd/' + fd).startsWith(directory + '/objects'); } catch { return false; } }).length;
      const storage = await createLocalStorage({ directory });
      await storage.put('big', new Uint8Array(1024 * 1024));
      for (let i = 0; i < 20; i++) await storage.get('big');
      const held = open();
      for (let i = 0; i < 5 && open() > 0; i++) { globalThis.gc(); await new Promise((resolve) => setTimeout(resolve, 20)); }
      console.log(JSON.stringify({ held, after: open() }));
      await storage.close();
    `;
    const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', script, join(directory, 'store')], {
      cwd: join(import.meta.dirname, '..'),
    });
    expect(JSON.parse(stdout)).toEqual({ held: 20, after: 0 });
  });
});
