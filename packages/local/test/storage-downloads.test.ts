import { randomBytes } from 'node:crypto';
import { readdir, readlink } from 'node:fs/promises';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SwitchyardError } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStorage } from './storage-server.js';

const INLINE = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'audio/mpeg', 'video/mp4'];
const ATTACHED = ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'application/octet-stream'];

// Downloads come from the app's own origin: whatever an uploader sent must not render there as a page.
describe('LocalStorage downloads', () => {
  let started: Awaited<ReturnType<typeof startLocalStorage>>;

  beforeAll(async () => {
    started = await startLocalStorage({ publicRead: true });
  });

  afterAll(async () => {
    await started?.stop();
  });

  async function uploadThroughUrl(key: string, header: string, signed?: string): Promise<void> {
    const target = await started.storage.createUploadUrl(key, signed ? { contentType: signed } : {});
    const response = await fetch(target.url, { method: 'PUT', headers: { 'content-type': header }, body: '<script>alert(1)</script>' });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  }

  /** Headers of a GET and a HEAD through the signed URL and the public URL. */
  async function servedHeaders(key: string): Promise<Headers[]> {
    const signed = (await started.storage.createDownloadUrl(key)).url;
    const pub = await started.storage.publicUrl(key);
    const all: Headers[] = [];
    for (const url of [signed, pub]) {
      for (const method of ['GET', 'HEAD']) {
        const response = await fetch(url, { method });
        expect(response.status, `${method} ${url}`).toBe(200);
        await response.arrayBuffer();
        all.push(response.headers);
      }
    }
    return all;
  }

  it('stores the media type an unsigned upload carried, lower case and without its parameters', async () => {
    await uploadThroughUrl('dl/page', 'Text/HTML; charset=utf-7');
    expect((await started.storage.head('dl/page'))?.contentType).toBe('text/html');
  });

  it('stores the signed content type, not parameters the uploader added', async () => {
    await uploadThroughUrl('dl/notes.txt', 'text/plain; charset=iso-8859-1', 'Text/Plain; Charset=UTF-8');
    expect((await started.storage.head('dl/notes.txt'))?.contentType).toBe('text/plain; charset=utf-8');
  });

  it('stores put content types in one spelling', async () => {
    await started.storage.put('dl/put', 'x', { contentType: 'Text/Markdown; Charset=UTF-8; variant=GFM' });
    expect((await started.storage.head('dl/put'))?.contentType).toBe('text/markdown; charset=utf-8; variant=GFM');
  });

  it('serves an uploaded page as a nosniff attachment named after its key, signed or public, GET or HEAD', async () => {
    await uploadThroughUrl('dl/folder/evil.html', 'text/html');
    for (const headers of await servedHeaders('dl/folder/evil.html')) {
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('content-disposition')).toMatch(/^attachment; filename="evil\.html"/);
    }
  });

  for (const type of INLINE) {
    it(`serves ${type} inline, with nosniff`, async () => {
      const key = `dl/inline/${type}`;
      await started.storage.put(key, randomBytes(64), { contentType: type });
      for (const headers of await servedHeaders(key)) {
        expect(headers.get('x-content-type-options')).toBe('nosniff');
        expect(headers.get('content-type')).toBe(type);
        expect(headers.get('content-disposition')).toBeNull();
      }
    });
  }

  for (const type of ATTACHED) {
    it(`serves ${type} as an attachment, with nosniff`, async () => {
      const key = `dl/attached/${type}`;
      await started.storage.put(key, '<svg onload="alert(1)"/>', { contentType: type });
      for (const headers of await servedHeaders(key)) {
        expect(headers.get('x-content-type-options')).toBe('nosniff');
        expect(headers.get('content-disposition')).toMatch(/^attachment/);
      }
    });
  }

  it('still names the file for downloadAs, on an inline type too', async () => {
    await started.storage.put('dl/photo', randomBytes(64), { contentType: 'image/png' });
    const signed = await started.storage.createDownloadUrl('dl/photo', { downloadAs: 'été.png' });
    const response = await fetch(signed.url);
    await response.arrayBuffer();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="_t_.png"; filename*=UTF-8''${encodeURIComponent('été.png')}`,
    );
  });

  it('refuses a downloadAs it could not put in a header intact, with INVALID_INPUT and never a URIError', async () => {
    for (const name of ['a\uD800.png', 'photo\uDC00', 'line\nbreak.txt', 'nul\u0000.txt', '']) {
      const error = await started.storage.createDownloadUrl('dl/photo', { downloadAs: name }).catch((e: unknown) => e);
      expect(SwitchyardError.hasCode(error, 'INVALID_INPUT'), JSON.stringify(name)).toBe(true);
    }
  });

  it('serves ranges with the same headers', async () => {
    await started.storage.put('dl/range.html', 'abcdefghij', { contentType: 'text/html' });
    const response = await fetch((await started.storage.createDownloadUrl('dl/range.html')).url, { headers: { range: 'bytes=2-4' } });
    expect(response.status).toBe(206);
    expect(await response.text()).toBe('cde');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('closes the object file when a client abandons a download', async () => {
    await started.storage.put('dl/large', randomBytes(8 * 1024 * 1024));
    const url = (await started.storage.createDownloadUrl('dl/large')).url;
    for (let i = 0; i < 10; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = request(url, { agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', reject);
        req.end();
      });
    }
    // The server notices each closed socket on its next turn of the event loop.
    let open: string[] = [];
    for (let tries = 0; tries < 50; tries++) {
      await sleep(20);
      open = await openFilesUnder(started.directory);
      if (open.length === 0) break;
    }
    expect(open).toEqual([]);
  });
});

/** Files under `directory` this process holds open (Linux /proc). */
async function openFilesUnder(directory: string): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith(directory));
}
