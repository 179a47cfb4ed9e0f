import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SwitchyardError } from '@switchyard/core/adapter';
import { createLocalStorage, type LocalStorageHandle } from '@switchyard/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath } from '../src/storage/key-lock.js';
import { objectPath } from '../src/storage/object-file.js';

const SECRET = 'conditional-put-test-secret-0123456789abcdef';
const PROCESSES = 4;
const WRITERS_PER_PROCESS = 4;

interface Outcome {
  ok: boolean;
  code?: string;
}

/**
 * Starts `PROCESSES` Node processes on the same directory, each holding `WRITERS_PER_PROCESS`
 * puts of `key` with `options`; they all start together once every process is ready.
 */
async function raceInProcesses(directory: string, key: string, options: Record<string, string>): Promise<Outcome[]> {
  const script = `
    import { createLocalStorage } from '@switchyard/local';
    const storage = await createLocalStorage({ directory: ${JSON.stringify(directory)}, secret: ${JSON.stringify(SECRET)} });
    console.log('ready');
    process.stdin.once('data', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: ${WRITERS_PER_PROCESS} }, (_, i) =>
          storage.put(${JSON.stringify(key)}, 'process ' + process.pid + ' writer ' + i, ${JSON.stringify(options)}),
        ),
      );
      console.log(JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? { ok: true } : { ok: false, code: r.reason.code }))));
      process.exit(0);
    });`;
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const children = Array.from({ length: PROCESSES }, () =>
    spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const outputs = children.map(
    (child) =>
      new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`a writer process exited with ${code}: ${out}`))));
      }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          const onData = (chunk: Buffer) => {
            if (!chunk.toString().includes('ready')) return;
            child.stdout.off('data', onData);
            resolve();
          };
          child.stdout.on('data', onData);
        }),
    ),
  );
  for (const child of children) child.stdin.write('go\n');
  return (await Promise.all(outputs)).flatMap((out) => JSON.parse(out.trim().split('\n').pop() ?? '[]') as Outcome[]);
}

function expectOneWinner(outcomes: Outcome[]) {
  expect(outcomes).toHaveLength(PROCESSES * WRITERS_PER_PROCESS);
  expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
  for (const lost of outcomes.filter((o) => !o.ok)) expect(lost.code).toBe('PRECONDITION_FAILED');
}

describe('LocalStorage conditional put across processes sharing a directory', () => {
  let directory: string;
  let storage: LocalStorageHandle;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sy-conditional-'));
    storage = await createLocalStorage({ directory, secret: SECRET, lockTimeoutMs: 1_000 });
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('lets exactly one of many ifNoneMatch writers in several processes create the object', async () => {
    expectOneWinner(await raceInProcesses(directory, 'race/create', { ifNoneMatch: '*' }));
    expect(await (await storage.get('race/create')).text()).toMatch(/^process \d+ writer \d$/);
  }, 60_000);

  it('lets exactly one of many ifMatch writers in several processes replace the version they all saw', async () => {
    const seen = await storage.put('race/replace', 'v1');
    expectOneWinner(await raceInProcesses(directory, 'race/replace', { ifMatch: seen.etag ?? '' }));
    const now = await storage.head('race/replace');
    expect(now?.etag).not.toBe(seen.etag);
    expect(await (await storage.get('race/replace')).text()).toMatch(/^process \d+ writer \d$/);
  }, 60_000);

  it('reports an etag that changes with the content, the same from put, head, get and list', async () => {
    const a = await storage.put('etag/x', 'first');
    const b = await storage.put('etag/x', 'second');
    expect(a.etag).toBeTruthy();
    expect(b.etag).not.toBe(a.etag);
    expect((await storage.head('etag/x'))?.etag).toBe(b.etag);
    expect((await storage.get('etag/x')).info.etag).toBe(b.etag);
    expect((await storage.list({ prefix: 'etag/' })).items[0]?.etag).toBe(b.etag);
  });

  it('takes over a lock left by a process that died holding it', async () => {
    const key = 'lock/abandoned';
    const path = lockPath(directory, objectPath(directory, key));
    await mkdir(dirname(path), { recursive: true });
    // A pid no process has: the holder is gone.
    await writeFile(path, JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), token: 'dead' }));
    const put = await storage.put(key, 'after a crash', { ifNoneMatch: '*' });
    expect(put.etag).toBeTruthy();
  });

  it('waits for a live holder to let go, then writes', async () => {
    const key = 'lock/held';
    const path = lockPath(directory, objectPath(directory, key));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify({ pid: process.pid, host: hostname(), token: 'held' }));
    let released = false;
    const put = storage.put(key, 'after the holder', { ifNoneMatch: '*' }).then(() => released);
    await sleep(200);
    released = true;
    await rm(path);
    expect(await put, 'the put finished while another writer held the lock').toBe(true);
  });

  it('gives up with a retryable UNAVAILABLE when a live holder never lets go, writing nothing', async () => {
    const key = 'lock/stuck';
    const path = lockPath(directory, objectPath(directory, key));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify({ pid: process.pid, host: hostname(), token: 'stuck' }));
    try {
      const error = await storage.put(key, 'never', { ifNoneMatch: '*' }).catch((e: unknown) => e);
      expect(SwitchyardError.hasCode(error, 'UNAVAILABLE')).toBe(true);
      expect((error as SwitchyardError).retryable).toBe(true);
      await rm(path);
      expect(await storage.head(key)).toBeNull();
    } finally {
      await rm(path, { force: true });
    }
  });
});
