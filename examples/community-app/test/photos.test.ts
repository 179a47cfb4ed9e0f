import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, call, saveProfile, signIn } from './support/http.js';
import { phonePhoto } from './support/images.js';
import { startTestApp, type TestApp } from './support/server.js';

interface Upload {
  name: string;
  upload: { url: string; method: string; headers: Record<string, string>; expiresAt: string };
  /** When the signed URL was asked for, between these two moments. */
  asked: [number, number];
}

describe('community-app photos', () => {
  let app: TestApp;
  let alice: Client;
  let bob: Client;

  async function upload(client: Client, bytes: Uint8Array<ArrayBuffer>, contentType = 'image/jpeg'): Promise<Upload> {
    const before = Date.now();
    const res = await call(app.url, '/photos/upload-url', { cookie: client.cookie, json: { contentType, size: bytes.byteLength } });
    const asked: [number, number] = [before, Date.now()];
    expect(res.status).toBe(200);
    const target = { ...((await res.json()) as Omit<Upload, 'asked'>), asked };
    const put = await fetch(target.upload.url, {
      method: target.upload.method,
      headers: { ...target.upload.headers, 'content-type': contentType },
      body: bytes,
    });
    expect(put.status).toBe(200);
    return target;
  }

  beforeAll(async () => {
    app = await startTestApp();
    alice = await signIn(app.url, app.mailbox, 'alice@example.com');
    bob = await signIn(app.url, app.mailbox, 'bob@example.com');
    await saveProfile(app.url, alice, { displayName: 'Alice', hobbies: ['film'], place: 'Lyon', lat: 45.76, lng: 4.84 });
    await saveProfile(app.url, bob, { displayName: 'Bob', hobbies: ['film'], place: 'Lyon', lat: 45.76, lng: 4.84 });
  }, 180_000);
  afterAll(() => app?.close());

  it('uploads through a 15-minute signed URL, then makes an upright 320 px WebP thumbnail without EXIF', async () => {
    const original = await phonePhoto();
    expect(await sharp(original).metadata()).toMatchObject({ orientation: 6, exif: expect.any(Buffer) });
    const { name, upload: target, asked } = await upload(alice, original);
    expect(target.method).toBe('PUT');
    const expiresAt = new Date(target.expiresAt).getTime();
    // Signed with whole seconds: allow the second the signature rounds to.
    expect(expiresAt).toBeGreaterThanOrEqual(asked[0] + 15 * 60_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(asked[1] + 15 * 60_000 + 1000);

    const completed = await call(app.url, `/photos/${name}/complete`, { method: 'POST', cookie: alice.cookie });
    expect(completed.status).toBe(200);
    const { photo } = (await completed.json()) as { photo: { thumbnailUrl: string; url: string } };
    const thumb = await fetch(photo.thumbnailUrl);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const image = sharp(new Uint8Array(await thumb.arrayBuffer()));
    const meta = await image.metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 320, height: 320 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    // The photo's red grows left to right and its green top to bottom; EXIF orientation 6 says to
    // turn it a quarter clockwise, after which red grows downwards and green right to left.
    const { data } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => data.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3);
    expect(pixel(10, 300)[0]! - pixel(10, 10)[0]!).toBeGreaterThan(40);
    expect(pixel(10, 10)[1]! - pixel(300, 10)[1]!).toBeGreaterThan(40);

    const me = (await (await call(app.url, '/me', { cookie: alice.cookie })).json()) as { profile: { photo: { name: string } } };
    expect(me.profile.photo.name).toBe(name);
    const list = (await (await call(app.url, '/photos', { cookie: alice.cookie })).json()) as {
      photos: { name: string; current: boolean; expiresAt: string }[];
    };
    expect(list.photos).toEqual([expect.objectContaining({ name, current: true })]);
    const viewFor = new Date(list.photos[0]?.expiresAt ?? 0).getTime() - Date.now();
    expect(viewFor).toBeGreaterThan(59 * 60_000);
    expect(viewFor).toBeLessThanOrEqual(60 * 60_000);
  });

  it('shows the thumbnail to other members', async () => {
    const res = await call(app.url, '/members', { cookie: bob.cookie });
    const { members } = (await res.json()) as { members: { displayName: string; thumbnailUrl: string | null }[] };
    const url = members.find((m) => m.displayName === 'Alice')?.thumbnailUrl;
    expect(url).toBeTruthy();
    expect((await fetch(url ?? '')).status).toBe(200);
  });

  it('removes an upload that is not an image and says so', async () => {
    const { name } = await upload(bob, new TextEncoder().encode('<html>not a png</html>'), 'image/png');
    const res = await call(app.url, `/photos/${name}/complete`, { method: 'POST', cookie: bob.cookie });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/removed/) } });
    const list = (await (await call(app.url, '/photos', { cookie: bob.cookie })).json()) as { photos: unknown[] };
    expect(list.photos).toEqual([]);
  });

  it('accepts only JPEG, PNG and WebP up to 5 MiB, and completes only what was uploaded', async () => {
    for (const json of [
      { contentType: 'image/gif', size: 10 },
      { contentType: 'text/html', size: 10 },
      { contentType: 'image/png', size: 6 * 1024 * 1024 },
    ]) {
      const res = await call(app.url, '/photos/upload-url', { cookie: alice.cookie, json });
      expect(res.status).toBe(400);
    }
    const never = await call(app.url, '/photos/00000000-0000-4000-8000-000000000000.jpg/complete', {
      method: 'POST',
      cookie: alice.cookie,
    });
    expect(never.status).toBe(404);
  });

  it('deletes only the caller’s own photo, with its thumbnail, and clears it from the profile', async () => {
    const { name } = await upload(alice, await phonePhoto(400, 300));
    await call(app.url, `/photos/${name}/complete`, { method: 'POST', cookie: alice.cookie });
    expect((await call(app.url, `/photos/${name}`, { method: 'DELETE', cookie: bob.cookie })).status).toBe(404);
    expect((await call(app.url, '/photos/..%2F..%2Fx', { method: 'DELETE', cookie: bob.cookie })).status).toBe(404);
    const before = (await (await call(app.url, '/me', { cookie: alice.cookie })).json()) as {
      profile: { photo: { thumbnailUrl: string } };
    };

    expect((await call(app.url, `/photos/${name}`, { method: 'DELETE', cookie: alice.cookie })).status).toBe(204);
    const after = (await (await call(app.url, '/me', { cookie: alice.cookie })).json()) as { profile: { photo: unknown } };
    expect(after.profile.photo).toBeNull();
    expect((await fetch(before.profile.photo.thumbnailUrl)).status).toBe(404);
  });

  it('logged no server errors', () => {
    expect(app.errors).toEqual([]);
  });
});
