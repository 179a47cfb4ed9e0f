import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkedBody, putHead, rawExchange, rawUpload } from './raw-upload.js';
import { startLocalStorage } from './storage-server.js';

const MAX = 64 * 1024;
const BODY = 2 * 1024 * 1024;
// A reset loses the answer only sometimes: enough attempts that a flaky one shows.
const ATTEMPTS = 50;

// A client over the limit must read the 413, not a reset, every time, and whatever its framing.
describe('LocalStorage refusing an upload over maxBytes', () => {
  let started: Awaited<ReturnType<typeof startLocalStorage>>;
  let url: string;

  beforeAll(async () => {
    started = await startLocalStorage();
    url = (await started.storage.createUploadUrl('refused/photo', { contentType: 'image/png', maxBytes: MAX })).url;
  });

  afterAll(async () => {
    await started?.stop();
  });

  async function statusesOf(attempt: () => Promise<number | string>): Promise<Record<string, number>> {
    const seen: Record<string, number> = {};
    for (let i = 0; i < ATTEMPTS; i++) {
      const outcome = String(await attempt());
      seen[outcome] = (seen[outcome] ?? 0) + 1;
    }
    return seen;
  }

  const fetchOutcome = (init: RequestInit) =>
    fetch(url, { method: 'PUT', headers: { 'content-type': 'image/png' }, ...init }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      (error: Error) => `${error.message}: ${String((error.cause as Error | undefined)?.message)}`,
    );

  it(`gives fetch a 413 for a body with Content-Length, ${ATTEMPTS} times out of ${ATTEMPTS}`, async () => {
    const body = new Uint8Array(BODY);
    expect(await statusesOf(() => fetchOutcome({ body }))).toEqual({ 413: ATTEMPTS });
  }, 120_000);

  it(`gives fetch a 413 for a streamed (chunked) body, ${ATTEMPTS} times out of ${ATTEMPTS}`, async () => {
    const stream = () => {
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= BODY) return controller.close();
          sent += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      });
    };
    expect(await statusesOf(() => fetchOutcome({ body: stream(), duplex: 'half' } as RequestInit))).toEqual({ 413: ATTEMPTS });
  }, 120_000);

  for (const [label, agent] of [
    ['asking for Connection: close', undefined],
    ['on a keep-alive connection', new Agent({ keepAlive: true, maxSockets: 1 })],
  ] as const) {
    it(`gives a raw node:http client that keeps sending a 413, ${label}, ${ATTEMPTS} times out of ${ATTEMPTS}`, async () => {
      const outcome = async () => {
        const result = await rawUpload(url, { size: BODY, framing: 'chunked', ...(agent ? { agent } : {}) });
        return result.error && /ECONNRESET|EPIPE/.test(result.error) ? result.error : (result.status ?? 'no response');
      };
      expect(await statusesOf(outcome)).toEqual({ 413: ATTEMPTS });
      agent?.destroy();
    }, 120_000);
  }

  it('keeps serving after all of them', async () => {
    const key = 'refused/after';
    const target = await started.storage.createUploadUrl(key, { contentType: 'image/png', maxBytes: MAX });
    const response = await fetch(target.url, { method: 'PUT', headers: target.headers, body: 'small' });
    expect(response.status).toBe(200);
    expect(await started.storage.head('refused/photo')).toBeNull();
  });
});

// Lingering is bounded: a client that never stops, or stops talking, is cut off.
describe('LocalStorage after refusing an upload, with small linger bounds', () => {
  let started: Awaited<ReturnType<typeof startLocalStorage>>;

  beforeAll(async () => {
    started = await startLocalStorage({ refusedUploadLinger: { maxBytes: 4 * 1024 * 1024, maxMs: 5_000, idleMs: 300 } });
  });

  afterAll(async () => {
    await started?.stop();
  });

  it('cuts a client that ignores Connection: close and keeps sending past maxBytes, after it had the 413', async () => {
    const target = await started.storage.createUploadUrl('linger/endless', { contentType: 'image/png', maxBytes: MAX });
    const head = putHead(target.url, { 'content-type': 'image/png', 'transfer-encoding': 'chunked' });
    const GiB = 1024 * 1024 * 1024;
    const answer = await rawExchange(target.url, head, chunkedBody(GiB), 30_000);
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.closedByServer).toBe(true);
    expect(answer.sent).toBeLessThan(GiB);
    expect(await started.storage.head('linger/endless')).toBeNull();
  }, 60_000);

  it('closes on a client that announced more than it sends, once it has been silent for idleMs', async () => {
    const target = await started.storage.createUploadUrl('linger/silent', { contentType: 'image/png', maxBytes: MAX });
    const head = putHead(target.url, { 'content-type': 'image/png', 'content-length': String(64 * 1024 * 1024) });
    const answer = await rawExchange(target.url, head, Buffer.alloc(1000), 10_000);
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.closedByServer, 'the server should have closed the silent connection').toBe(true);
  }, 30_000);

  it('still answers a normal upload', async () => {
    const target = await started.storage.createUploadUrl('linger/ok', { contentType: 'image/png', maxBytes: MAX });
    const response = await fetch(target.url, { method: 'PUT', headers: target.headers, body: 'fine' });
    expect(response.status).toBe(200);
    expect(await (await started.storage.get('linger/ok')).text()).toBe('fine');
  });
});
