import { randomUUID } from 'node:crypto';
import { sql } from '@switchyard/core';
import { fail, readJson, sendJson, sendNoContent } from '../http.js';
import { asDbUser } from '../members/db-user.js';
import { PHOTO_NAME, photoKey, thumbnailKey, thumbnailUrl, UPLOAD_URL_SECONDS, userFolder, VIEW_URL_SECONDS } from '../photos/keys.js';
import { makeThumbnail } from '../photos/thumbnail.js';
import type { RequestContext, Route } from '../router.js';
import { authenticate } from '../session.js';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

function photoName(ctx: RequestContext): string {
  const name = ctx.params.name ?? '';
  if (!PHOTO_NAME.test(name)) throw fail('NOT_FOUND', `You have no photo named ${JSON.stringify(name)}.`);
  return name;
}

/** A signed upload for one new photo; the storage provider enforces the type and size where it can. */
async function createUploadUrl(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const { contentType, size } = await readJson(ctx.req);
  const extension = typeof contentType === 'string' ? EXTENSIONS[contentType] : undefined;
  if (!extension) throw fail('INVALID_INPUT', `Photos must be one of ${Object.keys(EXTENSIONS).join(', ')}.`);
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_PHOTO_BYTES) {
    throw fail('INVALID_INPUT', `"size" must be the photo's size in bytes, at most ${MAX_PHOTO_BYTES} (5 MiB).`);
  }
  const name = `${randomUUID()}.${extension}`;
  const upload = await ctx.app.storage.createUploadUrl(photoKey(user.id, name), {
    contentType: contentType as string,
    maxBytes: MAX_PHOTO_BYTES,
    expiresIn: UPLOAD_URL_SECONDS,
    method: 'PUT',
  });
  sendJson(ctx.res, 200, { name, upload });
}

/**
 * Called by the page once its upload went through: checks the object, makes the thumbnail and makes
 * the photo the profile's. Providers that cannot enforce `maxBytes` on the signed request are
 * covered here: a larger object is removed.
 */
async function completeUpload(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const name = photoName(ctx);
  const { storage, db } = ctx.app;
  const info = await storage.head(photoKey(user.id, name));
  if (!info) throw fail('NOT_FOUND', 'Upload the photo to its signed URL first, then complete it.');
  if (info.size > MAX_PHOTO_BYTES) {
    await storage.delete(photoKey(user.id, name));
    throw fail('INVALID_INPUT', `The photo is over ${MAX_PHOTO_BYTES} bytes (5 MiB); it was removed.`);
  }
  await makeThumbnail(storage, user.id, name);
  await db.asUser(asDbUser(user), (tx) =>
    tx.query(sql`insert into profiles (id, photo) values (${user.id}, ${name})
      on conflict (id) do update set photo = excluded.photo, updated_at = now()`),
  );
  const { url } = await storage.createDownloadUrl(photoKey(user.id, name), { expiresIn: VIEW_URL_SECONDS });
  sendJson(ctx.res, 200, { photo: { name, url, thumbnailUrl: await thumbnailUrl(storage, user.id, name), current: true } });
}

async function listPhotos(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const { storage, db } = ctx.app;
  const prefix = `${userFolder(user.id)}photos/`;
  const profile = await db.asUser(asDbUser(user), (tx) =>
    tx.maybeOne<{ photo: string | null }>(sql`select photo from profiles where id = ${user.id}`),
  );
  const photos = [];
  let cursor: string | undefined;
  do {
    const page = await storage.list({ prefix, ...(cursor ? { cursor } : {}) });
    for (const item of page.items) {
      const name = item.key.slice(prefix.length);
      if (!PHOTO_NAME.test(name)) continue;
      const { url, expiresAt } = await storage.createDownloadUrl(item.key, { expiresIn: VIEW_URL_SECONDS });
      const thumbnail = await thumbnailUrl(storage, user.id, name);
      photos.push({
        name,
        size: item.size,
        lastModified: item.lastModified,
        url,
        expiresAt,
        thumbnailUrl: thumbnail,
        current: name === profile?.photo,
      });
    }
    cursor = page.cursor;
  } while (cursor);
  sendJson(ctx.res, 200, { photos });
}

async function deletePhoto(ctx: RequestContext): Promise<void> {
  const user = await authenticate(ctx);
  const name = photoName(ctx);
  const { storage, db } = ctx.app;
  // `delete` is idempotent by contract; look first so a wrong name is a 404, not a silent success.
  if (!(await storage.head(photoKey(user.id, name)))) throw fail('NOT_FOUND', `You have no photo named ${JSON.stringify(name)}.`);
  await storage.delete([photoKey(user.id, name), thumbnailKey(user.id, name)]);
  await db.asUser(asDbUser(user), (tx) => tx.query(sql`update profiles set photo = null where id = ${user.id} and photo = ${name}`));
  sendNoContent(ctx.res);
}

export const photoRoutes: Route[] = [
  { method: 'POST', path: '/photos/upload-url', handler: createUploadUrl },
  { method: 'POST', path: '/photos/:name/complete', handler: completeUpload },
  { method: 'GET', path: '/photos', handler: listPhotos },
  { method: 'DELETE', path: '/photos/:name', handler: deletePhoto },
];
