import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chunkedBody, putHead, rawExchange, rawUpload } from './raw-upload.js';
import { startLocalStorage } from './storage-server.js';

const MAX = 100_000;
const MiB = 1024 * 1024;
/**
 * A reset or broken pipe means the server closed on a client still sending. A client may itself
 * stop sending once it has read a `Connection: close` answer (RFC 9112 §9.6): Node's client then
 * reports a premature close of its own request, which is fine.
 */
function expectNoReset(error: string | undefined) {
  expect(error ?? 'none', 'the server reset a client that was still sending').not.toMatch(/ECONNRESET|EPIPE/);
}

const SIZES: Record<string, number> = { 'one byte over': MAX + 1, '1 MiB': MiB, '8 MiB': 8 * MiB, '64 MiB': 64 * MiB };

// An upload URL's maxBytes is the only thing between a stranger and the disk: whatever the framing,
// a body over it gets 413, nothing of it is kept, and the process goes on serving.
describe('LocalStorage upload URLs with maxBytes', () => {
  let started: Awaited<ReturnType<typeof startLocalStorage>>;
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', record);
    started = await startLocalStorage();
  });

  afterAll(async () => {
    process.off('uncaughtException', record);
    await started?.stop();
  });

  afterEach(async () => {
    expect(uncaught.splice(0), 'the server threw an uncaught exception').toEqual([]);
    expect(await readdir(join(started.directory, 'tmp')).catch(() => []), 'a temporary file was left behind').toEqual([]);
  });

  async function uploadUrl(key: string) {
    return (await started.storage.createUploadUrl(key, { contentType: 'image/png', maxBytes: MAX })).url;
  }

  /** A normal upload and download still work: the server survived whatever came before. */
  async function expectStillServing() {
    const key = `ok/${Math.random()}`;
    const response = await fetch(await uploadUrl(key), { method: 'PUT', headers: { 'content-type': 'image/png' }, body: 'fine' });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(await (await started.storage.get(key)).text()).toBe('fine');
  }

  for (const framing of ['chunked', 'length'] as const) {
    for (const [label, size] of Object.entries(SIZES)) {
      it(`answers 413 to a ${label} body sent ${framing === 'chunked' ? 'chunked' : 'with Content-Length'}, keeping nothing`, async () => {
        const key = `over/${framing}/${size}`;
        const result = await rawUpload(await uploadUrl(key), { size, framing });
        expect(result.status, `got ${JSON.stringify(result)}`).toBe(413);
        expect(result.text).toContain(`at most ${MAX} bytes`);
        expectNoReset(result.error);
        expect(await started.storage.head(key)).toBeNull();
        await expectStillServing();
      }, 60_000);
    }
  }

  it('answers 413 to a slow drip that crosses the limit, and the client may stop there', async () => {
    const key = 'over/drip';
    const result = await rawUpload(await uploadUrl(key), {
      size: 10 * MAX,
      framing: 'chunked',
      chunkBytes: 8 * 1024,
      pauseMs: 2,
      stopOnResponse: true,
    });
    expect(result.status).toBe(413);
    expectNoReset(result.error);
    expect(result.sent).toBeLessThan(10 * MAX);
    expect(await started.storage.head(key)).toBeNull();
    await expectStillServing();
  });

  it('answers 413 at once to a Content-Length over the limit, without waiting for a body that never comes', async () => {
    const key = 'over/announced-lie';
    const url = await uploadUrl(key);
    const head = putHead(url, { 'content-type': 'image/png', 'content-length': String(64 * MiB) });
    const answer = await rawExchange(url, head, Buffer.alloc(1000), 1000);
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(await started.storage.head(key)).toBeNull();
    await expectStillServing();
  });

  it('keeps only the announced bytes when a Content-Length understates the body, and refuses the rest as a bad request', async () => {
    // RFC 9112 §6.3: Content-Length delimits the body; what follows is parsed as the next request.
    const key = 'over/understated';
    const url = await uploadUrl(key);
    const head = putHead(url, { 'content-type': 'image/png', 'content-length': '10' });
    const answer = await rawExchange(url, head, Buffer.alloc(2 * MAX, 0x62), 3000);
    expect(answer.text).toContain('HTTP/1.1 400 ');
    // The 200 may be lost when the parser refuses what follows first; either way no more than the 10 bytes is kept.
    const stored = await started.storage.head(key);
    expect(stored === null || stored.size === 10, `kept ${stored?.size} bytes`).toBe(true);
    await expectStillServing();
  });

  it('keeps nothing of an upload whose client leaves midway', async () => {
    const key = 'over/abandoned';
    const url = await uploadUrl(key);
    const head = putHead(url, { 'content-type': 'image/png', 'transfer-encoding': 'chunked' });
    const answer = await rawExchange(url, head, chunkedBody(MAX / 2), 300);
    expect(answer.closedByServer).toBe(false);
    // The server notices the closed socket, then removes its temporary file.
    for (let tries = 0; tries < 100 && (await readdir(join(started.directory, 'tmp'))).length > 0; tries++) await sleep(20);
    expect(await started.storage.head(key)).toBeNull();
    await expectStillServing();
  });

  it('refuses a request with both Content-Length and chunked encoding, keeping nothing', async () => {
    const key = 'over/smuggled';
    const url = await uploadUrl(key);
    const head = putHead(url, { 'content-type': 'image/png', 'content-length': '10', 'transfer-encoding': 'chunked' });
    const chunk = Buffer.alloc(2 * MAX, 0x63);
    const body = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n0\r\n\r\n')]);
    const answer = await rawExchange(url, head, body, 3000);
    expect(answer.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(await started.storage.head(key)).toBeNull();
    await expectStillServing();
  });
});
