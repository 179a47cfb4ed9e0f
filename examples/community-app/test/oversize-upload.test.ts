import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, cookieHeader, cookiesOf, exitOf, waitForOutput } from './support/http.js';

const MiB = 1024 * 1024;

function withoutSwitchyardFlags(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('SWITCHYARD_')));
}

/**
 * PUTs `size` bytes through `node:http`, chunked or with Content-Length, and keeps sending after
 * an early answer as most clients do; resolves with the status read, or the socket error.
 */
function put(url: string, size: number, chunked: boolean): Promise<number | string> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'content-type': 'image/png' };
    if (!chunked) headers['content-length'] = String(size);
    let status: number | string | undefined;
    const req = request(url, { method: 'PUT', headers, agent: false }, (res) => {
      res.resume();
      res.once('end', () => {
        status = res.statusCode ?? 'no status';
      });
    });
    req.once('error', (error: NodeJS.ErrnoException) => {
      // Only a reset before the answer was read is a failure; a client stopping afterwards is fine.
      status ??= error.code ?? error.message;
    });
    req.once('close', () => resolve(status ?? 'closed without an answer'));
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const write = () => {
      while (sent < size && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

// The app in its own process, as `npm start` runs it: an uncaught exception there ends it for everyone.
describe('community app receiving photo uploads over the limit', () => {
  let child: ChildProcess;
  let dataDir: string;
  let url: string;
  let cookie: string;

  beforeAll(async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(existsSync(main), 'build the example first (npm test builds every package)').toBe(true);
    dataDir = await mkdtemp(join(tmpdir(), 'community-app-oversize-'));
    child = spawn(process.execPath, [main], {
      // The embedded defaults, whatever SWITCHYARD_* variables the shell running the tests has.
      env: { ...withoutSwitchyardFlags(process.env), PORT: '0', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    [, url = ''] = await waitForOutput(child, /Community app listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const code = waitForOutput(child, /code: (\d{6})/);
    expect((await call(url, '/auth/sign-in', { json: { email: 'mallory@example.com' } })).status).toBe(202);
    const verified = await call(url, '/auth/verify', { json: { email: 'mallory@example.com', code: (await code)[1] } });
    expect(verified.status).toBe(200);
    cookie = cookieHeader(cookiesOf(verified));
    // Starting the app opens PGlite, which takes minutes on a busy machine.
  }, 240_000);

  afterAll(async () => {
    if (child) {
      child.kill('SIGTERM');
      // A process still opening its database may not hear SIGTERM yet: never leave it behind.
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitOf(child);
      clearTimeout(forced);
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  async function uploadUrl(): Promise<{ name: string; url: string }> {
    const res = await call(url, '/photos/upload-url', { cookie, json: { contentType: 'image/png', size: 1000 } });
    expect(res.status).toBe(200);
    const { name, upload } = (await res.json()) as { name: string; upload: { url: string } };
    return { name, url: upload.url };
  }

  for (const chunked of [true, false]) {
    it(`answers 413 to 8 MiB sent ${chunked ? 'chunked' : 'with Content-Length'}, every time, and keeps serving`, async () => {
      const outcomes: (number | string)[] = [];
      for (let i = 0; i < 10; i++) outcomes.push(await put((await uploadUrl()).url, 8 * MiB, chunked));
      expect(outcomes).toEqual(Array(10).fill(413));
      expect(child.exitCode, 'the app process exited').toBeNull();
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const photos = await call(url, '/photos', { cookie });
      expect(((await photos.json()) as { photos: unknown[] }).photos).toEqual([]);
    }, 120_000);
  }

  it('still stores a photo within the limit', async () => {
    const target = await uploadUrl();
    expect(await put(target.url, 1000, true)).toBe(200);
    const photos = (await (await call(url, '/photos', { cookie })).json()) as { photos: { name: string }[] };
    expect(photos.photos.map((photo) => photo.name)).toEqual([target.name]);
  });
});
