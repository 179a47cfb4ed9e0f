import { randomUUID } from 'node:crypto';
import { fail, readJson, sendJson } from '../http.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate } from '../session.js';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const UPLOAD_URL_SECONDS = 900;
const DOWNLOAD_URL_SECONDS = 3600;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
/** The only names this app gives photos; anything else cannot be one of them. */
const PHOTO_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp)$/;

/** Every key is built from the authenticated user's id, so a request can only reach its own folder. */
function photoFolder(userId: string): string {
  return `users/${userId}/photos/`;
}

/** A signed upload for one new photo; the storage provider enforces the type and size where it can. */
async function createUploadUrl(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const body = await readJson(ctx.req);
  const { contentType, size } = body;
  const extension = typeof contentType === 'string' ? EXTENSIONS[contentType] : undefined;
  if (!extension) throw fail('INVALID_INPUT', `Photos must be one of ${Object.keys(EXTENSIONS).join(', ')}.`);
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_PHOTO_BYTES) {
    throw fail('INVALID_INPUT', `"size" must be the photo's size in bytes, at most ${MAX_PHOTO_BYTES} (5 MiB).`);
  }
  const name = `${randomUUID()}.${extension}`;
  const upload = await ctx.app.storage.createUploadUrl(`${photoFolder(user.id)}${name}`, {
    contentType: contentType as string,
    maxBytes: MAX_PHOTO_BYTES,
    expiresIn: UPLOAD_URL_SECONDS,
    method: 'PUT',
  });
  sendJson(ctx.res, 200, { name, upload });
}

async function listPhotos(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const { storage } = ctx.app;
  const prefix = photoFolder(user.id);
  const photos = [];
  let cursor: string | undefined;
  do {
    const page = await storage.list({ prefix, ...(cursor ? { cursor } : {}) });
    for (const item of page.items) {
      const name = item.key.slice(prefix.length);
      if (!PHOTO_NAME.test(name)) continue;
      const { url, expiresAt } = await storage.createDownloadUrl(item.key, { expiresIn: DOWNLOAD_URL_SECONDS });
      photos.push({ name, size: item.size, lastModified: item.lastModified, url, expiresAt });
    }
    cursor = page.cursor;
  } while (cursor);
  sendJson(ctx.res, 200, { photos });
}

async function deletePhoto(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const name = ctx.params.name ?? '';
  const key = `${photoFolder(user.id)}${name}`;
  // `delete` is idempotent by contract; look first so a wrong name is a 404, not a silent success.
  if (!PHOTO_NAME.test(name) || !(await ctx.app.storage.head(key)))
    throw fail('NOT_FOUND', `You have no photo named ${JSON.stringify(name)}.`);
  await ctx.app.storage.delete(key);
  ctx.res.writeHead(204);
  ctx.res.end();
}

export const photoRoutes: Route[] = [
  { method: 'POST', path: '/photos/upload-url', handler: createUploadUrl },
  { method: 'GET', path: '/photos', handler: listPhotos },
  { method: 'DELETE', path: '/photos/:name', handler: deletePhoto },
];
