import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SwitchyardError } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStorage } from './storage-server.js';

describe('LocalStorage', () => {
  let started: Awaited<ReturnType<typeof startLocalStorage>>;

  beforeAll(async () => {
    started = await startLocalStorage();
  });

  afterAll(async () => {
    await started?.stop();
  });

  it('stores "a" and "a/b" side by side, as S3 does', async () => {
    const { storage } = started;
    await storage.put('side/a', 'file');
    await storage.put('side/a/b', 'nested');
    expect(await (await storage.get('side/a')).text()).toBe('file');
    expect((await storage.list({ prefix: 'side/' })).items.map((i) => i.key)).toEqual(['side/a', 'side/a/b']);
  });

  it('leaves no object and no temporary file when the body fails midway', async () => {
    const { storage, directory } = started;
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 3) controller.enqueue(new Uint8Array(1024));
        else controller.error(new Error('client went away'));
      },
    });
    const error = await storage.put('broken/upload', failing).catch((e: unknown) => e);
    expect(SwitchyardError.hasCode(error, 'UNAVAILABLE')).toBe(true);
    expect(await storage.head('broken/upload')).toBeNull();
    expect(await readdir(join(directory, 'tmp'))).toEqual([]);
  });

  it('never serves a path outside the directory through the handler', async () => {
    const base = started.baseUrl;
    for (const path of ['/o/..%2F..%2Fetc%2Fpasswd', '/o/../../etc/passwd', '/p/%2Fetc%2Fpasswd', '/o/%00', '/.switchyard-secret']) {
      const response = await fetch(`${base}${path}`);
      const text = await response.text();
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(text).not.toContain('root:');
    }
  });

  it('keeps its generated secret, so signed URLs survive a restart', async () => {
    const { storage, directory } = started;
    await storage.put('restart/x', 'still here');
    const signed = await storage.createDownloadUrl('restart/x');
    const again = await startLocalStorage({ directory });
    try {
      const url = new URL(signed.url);
      const moved = new URL(url.pathname + url.search, again.baseUrl);
      const response = await fetch(moved);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('still here');
    } finally {
      await again.stop();
    }
  });

  it('answers 413 for an announced or streamed body over maxBytes and stores nothing', async () => {
    const { storage } = started;
    const target = await storage.createUploadUrl('limits/photo', { contentType: 'image/png', maxBytes: 10 });
    const announced = await fetch(target.url, { method: 'PUT', headers: target.headers, body: new Uint8Array(11) });
    expect(announced.status).toBe(413);
    let chunks = 0;
    const streamed = await fetch(target.url, {
      method: 'PUT',
      headers: target.headers,
      body: new ReadableStream({
        pull(controller) {
          if (chunks++ < 4) controller.enqueue(new Uint8Array(5));
          else controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await storage.head('limits/photo')).toBeNull();
  });

  it('refuses signed URLs when no baseUrl is configured, saying what to set', async () => {
    const { createLocalStorage } = await import('@switchyard/local');
    const bare = await createLocalStorage({ directory: started.directory });
    const error = await bare.createDownloadUrl('x').catch((e: unknown) => e);
    expect(SwitchyardError.hasCode(error, 'CONFIG')).toBe(true);
    expect((error as Error).message).toContain('baseUrl');
  });
});
