import { type StoragePort, SwitchyardError } from '@switchyard/core';
import sharp from 'sharp';
import { photoKey, thumbnailKey } from './keys.js';

/** Square thumbnails shown on profiles, member lists and matches (2× the largest CSS size). */
export const THUMBNAIL_PIXELS = 320;
/**
 * A small file can declare a huge canvas (a decompression bomb); 40 megapixels covers any phone
 * photo. sharp's own default is 268 megapixels.
 */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * The seed's image-processing step, run after the browser's upload: reads the original through the
 * StoragePort and stores a square WebP thumbnail beside it. The thumbnail is re-encoded, so it
 * carries no EXIF (no GPS position), and it is turned upright by the EXIF orientation first.
 * Throws INVALID_INPUT (and removes the upload) when the bytes are not an image sharp can read.
 */
export async function makeThumbnail(storage: StoragePort, userId: string, name: string): Promise<void> {
  const original = photoKey(userId, name);
  const bytes = await (await storage.get(original)).bytes();
  let thumbnail: Buffer;
  try {
    thumbnail = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(THUMBNAIL_PIXELS, THUMBNAIL_PIXELS, { fit: 'cover', position: 'attention' })
      .webp({ quality: 80 })
      .toBuffer();
  } catch (error) {
    await storage.delete(original);
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      message: 'The upload is not a JPEG, PNG or WebP image we can read (or it is over 40 megapixels); it was removed.',
      cause: error,
    });
  }
  await storage.put(thumbnailKey(userId, name), thumbnail, { contentType: 'image/webp', cacheControl: 'private, max-age=3600' });
}
