import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectInfo } from '@switchyard/core';

/**
 * One file per object: the bytes, then the JSON description, then its length as 4 bytes.
 * Keeping both in one file makes a write a single atomic rename, so a reader never pairs new
 * bytes with old metadata. File names are hashes of the key, so no key can name a path outside
 * the directory, however it is spelled.
 */
export interface StoredDescription {
  key: string;
  contentType: string;
  cacheControl?: string | undefined;
  metadata: Record<string, string>;
  etag: string;
  lastModified: string;
}

const TRAILER_LENGTH_BYTES = 4;

export function objectPath(root: string, key: string): string {
  const hash = createHash('sha256').update(key).digest('hex');
  return join(root, 'objects', hash.slice(0, 2), `${hash}.obj`);
}

/** The trailer that follows the object's bytes. */
export function encodeTrailer(description: StoredDescription): Buffer {
  const json = Buffer.from(JSON.stringify(description));
  const length = Buffer.alloc(TRAILER_LENGTH_BYTES);
  length.writeUInt32BE(json.length);
  return Buffer.concat([json, length]);
}

export interface OpenedObject {
  handle: FileHandle;
  info: ObjectInfo;
}

/** Opens an object file and reads its description; null when it does not exist. */
export async function openObject(path: string): Promise<OpenedObject | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { size: fileSize } = await handle.stat();
    const lengthBuffer = Buffer.alloc(TRAILER_LENGTH_BYTES);
    await handle.read(lengthBuffer, 0, TRAILER_LENGTH_BYTES, fileSize - TRAILER_LENGTH_BYTES);
    const jsonLength = lengthBuffer.readUInt32BE();
    const json = Buffer.alloc(jsonLength);
    const size = fileSize - TRAILER_LENGTH_BYTES - jsonLength;
    await handle.read(json, 0, jsonLength, size);
    const description = JSON.parse(json.toString('utf8')) as StoredDescription;
    return {
      handle,
      info: {
        key: description.key,
        size,
        contentType: description.contentType,
        cacheControl: description.cacheControl,
        metadata: description.metadata,
        etag: description.etag,
        lastModified: new Date(description.lastModified),
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads an object's description and closes the file. */
export async function readInfo(path: string): Promise<ObjectInfo | null> {
  const opened = await openObject(path);
  if (!opened) return null;
  await opened.handle.close();
  return opened.info;
}
