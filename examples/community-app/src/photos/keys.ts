import type { StoragePort } from '@switchyard/core';

/** The seed's lifetimes: 15 minutes to upload, an hour to view. */
export const UPLOAD_URL_SECONDS = 15 * 60;
export const VIEW_URL_SECONDS = 60 * 60;

/** The only names this app gives photos; anything else cannot be one of them. */
export const PHOTO_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp)$/;

/** Everything a user has in storage lives under this prefix, built from the verified user id. */
export function userFolder(userId: string): string {
  return `users/${userId}/`;
}

export function photoKey(userId: string, name: string): string {
  return `${userFolder(userId)}photos/${name}`;
}

/** Thumbnails are WebP whatever the original was. */
export function thumbnailKey(userId: string, name: string): string {
  return `${userFolder(userId)}thumbs/${name.replace(/\.[a-z]+$/, '')}.webp`;
}

/** A signed view URL of a member's thumbnail, or null when they have no photo. */
export async function thumbnailUrl(storage: StoragePort, userId: string, photo: string | null): Promise<string | null> {
  if (!photo || !PHOTO_NAME.test(photo)) return null;
  const { url } = await storage.createDownloadUrl(thumbnailKey(userId, photo), { expiresIn: VIEW_URL_SECONDS });
  return url;
}
