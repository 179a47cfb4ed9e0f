import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoragePort } from '@switchyard/core';
import { createLocalStorage } from '@switchyard/local';
import { copyObjects, parseShard, readRun, verifyObjects } from '@switchyard/migrate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;
let from: StoragePort;
let to: StoragePort;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sy-migrate-copy-'));
  from = await createLocalStorage({ directory: join(dir, 'from') });
  to = await createLocalStorage({ directory: join(dir, 'to') });
});
afterEach(async () => {
  await Promise.all([from.close(), to.close()]);
  await rm(dir, { recursive: true, force: true });
});

async function seed(count: number, prefix = 'photos/'): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}.jpg`);
  for (const key of keys) await from.put(key, `bytes of ${key}`, { contentType: 'image/jpeg', metadata: { owner: key } });
  return keys;
}

const state = () => join(dir, 'state');

describe('copyObjects', () => {
  it('copies every object with its type and metadata, and a second run copies nothing', async () => {
    const keys = await seed(25);
    const first = await copyObjects({ from, to, stateDir: state(), concurrency: 4 });
    expect(first).toMatchObject({ done: true, stopped: false, counts: { copied: 25, unchanged: 0, failed: 0 } });
    const copied = await to.get(keys[7]!);
    expect(await copied.text()).toBe(`bytes of ${keys[7]}`);
    expect(copied.info).toMatchObject({ contentType: 'image/jpeg', metadata: { owner: keys[7] } });
    const second = await copyObjects({ from, to, stateDir: state() });
    expect(second.counts).toMatchObject({ copied: 0, unchanged: 25 });
  });

  it('pairs the two listings in byte order, where JavaScript’s string order differs (astral and wide characters)', async () => {
    for (const key of ['photos/a.jpg', 'photos/\uff5a.jpg', 'photos/\u{1f600}.jpg', 'photos/z.jpg'])
      await from.put(key, key, { contentType: 'image/jpeg' });
    expect((await copyObjects({ from, to, stateDir: state() })).counts).toMatchObject({ copied: 4 });
    expect((await copyObjects({ from, to, stateDir: state() })).counts).toMatchObject({ copied: 0, unchanged: 4, keptNewer: 0 });
  });

  it('never replaces a version the app wrote at the target after the source’s', async () => {
    await seed(3);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await to.put('photos/0001.jpg', 'newer, written by the app in phase 3', { contentType: 'image/png' });
    const result = await copyObjects({ from, to, stateDir: state() });
    expect(result.counts).toMatchObject({ copied: 2, keptNewer: 1 });
    expect(await (await to.get('photos/0001.jpg')).text()).toBe('newer, written by the app in phase 3');
    const verified = await verifyObjects({ from, to, stateDir: state() });
    expect(verified.counts).toMatchObject({ same: 2, newerAtTarget: 1, missing: 0, differs: 0 });
  });

  it('splits by shard: two workers copy disjoint halves, each with its own checkpoint, that together are everything', async () => {
    const keys = await seed(40);
    const [one, two] = await Promise.all([
      copyObjects({ from, to, stateDir: state(), shard: parseShard('1/2') }),
      copyObjects({ from, to, stateDir: state(), shard: parseShard('2/2') }),
    ]);
    expect(one.checkpoint).not.toBe(two.checkpoint);
    expect(one.counts.copied).toBeGreaterThan(0);
    expect(two.counts.copied).toBeGreaterThan(0);
    expect(one.counts.copied + two.counts.copied).toBe(40);
    for (const key of keys) expect(await to.head(key), key).not.toBeNull();
    expect(await readRun(state(), 'copy-objects')).toMatchObject({ done: true, shards: { seen: 2, of: 2 }, counts: { copied: 40 } });
  });

  it('stops at a checkpoint when aborted and resumes there without copying anything twice', async () => {
    await seed(30);
    const controller = new AbortController();
    let puts = 0;
    const put = to.put.bind(to);
    to.put = async (...args) => {
      if (++puts === 12) controller.abort();
      return put(...args);
    };
    const stopped = await copyObjects({ from, to, stateDir: state(), concurrency: 2, signal: controller.signal });
    expect(stopped).toMatchObject({ stopped: true, done: false });
    const resumed = await copyObjects({ from, to, stateDir: state(), concurrency: 2 });
    expect(resumed.done).toBe(true);
    expect(puts).toBe(30);
    expect(resumed.counts.copied + resumed.counts.unchanged).toBe(30);
    expect(await verifyObjects({ from, to, stateDir: state() })).toMatchObject({ counts: { same: 30, missing: 0 } });
  });

  it('verify reports a missing and a different object in its problems file', async () => {
    await seed(4);
    await copyObjects({ from, to, stateDir: state() });
    await to.delete('photos/0000.jpg');
    await to.put('photos/0002.jpg', 'other bytes same-size!!', { contentType: 'image/jpeg', metadata: { owner: 'photos/0002.jpg' } });
    await from.put('photos/0002.jpg', 'bytes of photos/0002.jpg', { contentType: 'image/jpeg', metadata: { owner: 'photos/0002.jpg' } });
    const result = await verifyObjects({ from, to, stateDir: state(), deep: true });
    expect(result.counts).toMatchObject({ same: 2, missing: 1, differs: 1 });
  });
});
