import { hash } from 'node:crypto';
import { join } from 'node:path';
import type { ObjectInfo } from '@switchyard/core/adapter';
import { ObjectFd } from './object-fd.js';

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
/** As node:fs streams read: large enough that a read costs little more than its copy out of the page cache. */
const STREAM_CHUNK_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);

export function objectPath(root: string, key: string): string {
  const name = hash('sha256', key, 'hex');
  return join(root, 'objects', name.slice(0, 2), `${name}.obj`);
}

/** The trailer that follows the object's bytes. */
export function encodeTrailer(description: StoredDescription): Buffer {
  const json = Buffer.from(JSON.stringify(description));
  const length = Buffer.alloc(TRAILER_LENGTH_BYTES);
  length.writeUInt32BE(json.length);
  return Buffer.concat([json, length]);
}

export interface OpenedObject {
  file: ObjectFd;
  info: ObjectInfo;
  /** The object's first bytes as the first read brought them, up to where `tail` begins (maybe none). */
  head: Buffer;
  /** The file's last bytes as read to find the trailer: object bytes from `tailStart` up to `info.size`. */
  tail: Buffer;
  /** Offset in the object of `tail`'s first byte. */
  tailStart: number;
}

/**
 * Opens an object file and reads its description; null when it does not exist. One read of the
 * file's last `tailBytes` finds the trailer and, for small objects, the whole body with it.
 *
 * With `firstRead`, the file is first read from its start into that many bytes: a small object's
 * file comes whole, its size needing no stat (a short read is the end of the file, and an object
 * file never changes once renamed into place), and a larger one's first bytes are kept as `head`.
 */
export async function openObject(path: string, tailBytes: number, firstRead = 0): Promise<OpenedObject | null> {
  const file = await ObjectFd.open(path);
  if (!file) return null;
  let scratch: Buffer | undefined;
  try {
    scratch = firstRead > 0 ? takeScratch(firstRead) : undefined;
    const first = scratch ? scratch.subarray(0, await file.read(scratch, 0, firstRead, 0)) : undefined;
    const fileSize = first && first.length < firstRead ? first.length : await file.size();
    const readStart = Math.max(0, fileSize - tailBytes);
    const known = first ? Math.max(0, first.length - readStart) : 0;
    // Copied, not a view of the first read's buffer: a small body then owns exactly its bytes.
    const tail = Buffer.allocUnsafeSlow(fileSize - readStart);
    if (first && known > 0) first.copy(tail, 0, readStart);
    await readInto(file, tail, known, readStart + known);
    if (tail.length < TRAILER_LENGTH_BYTES) throw corrupt(path);
    const jsonLength = tail.readUInt32BE(tail.length - TRAILER_LENGTH_BYTES);
    const size = fileSize - TRAILER_LENGTH_BYTES - jsonLength;
    if (size < 0) throw corrupt(path);
    const json =
      size >= readStart ? tail.subarray(size - readStart, tail.length - TRAILER_LENGTH_BYTES) : await readExactly(file, jsonLength, size);
    const tailStart = Math.min(readStart, size);
    const description = JSON.parse(json.toString('utf8')) as StoredDescription;
    // Only a file longer than the tail read has bytes before the tail, so the first read filled
    // the scratch buffer with this file's bytes alone: it becomes the body's, not the next get's.
    const head = first && tailStart > 0 ? first.subarray(0, Math.min(first.length, tailStart)) : EMPTY;
    if (head !== EMPTY) scratch = undefined;
    return {
      file,
      info: {
        key: description.key,
        size,
        contentType: description.contentType,
        cacheControl: description.cacheControl,
        metadata: description.metadata,
        etag: description.etag,
        lastModified: new Date(description.lastModified),
      },
      head,
      tail: tail.subarray(0, Math.max(0, size - readStart)),
      tailStart,
    };
  } catch (error) {
    await file.close();
    throw error;
  } finally {
    if (scratch) giveBackScratch(scratch);
  }
}

/** Reads an object's description and closes the file. */
export async function readInfo(path: string): Promise<ObjectInfo | null> {
  // Enough for any ordinary trailer; a longer one costs a second read.
  const opened = await openObject(path, 4096);
  if (!opened) return null;
  await opened.file.close();
  return opened.info;
}

/**
 * The object's bytes `start`..`end` (inclusive) as a web stream that owns `file` and closes it
 * when done, failed or cancelled. Bytes already in `tail` are served from memory; the rest is read
 * into fresh buffers that are handed over as they are, never copied.
 */
export async function objectBody(opened: OpenedObject, start: number, end: number): Promise<ReadableStream<Uint8Array>> {
  const { file, head, tail, tailStart } = opened;
  if (start >= tailStart) {
    await file.close();
    const bytes = tail.subarray(start - tailStart, end + 1 - tailStart);
    return new ReadableStream({
      start(controller) {
        if (bytes.length > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  // The file is read up to where `tail` begins; the rest is already in memory.
  const fileEnd = Math.min(end, tailStart - 1);
  let position = start;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= file.close();
    return closed;
  };
  file.guard();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk =
          position < head.length
            ? head.subarray(position, Math.min(head.length, fileEnd + 1))
            : await readExactly(file, Math.min(STREAM_CHUNK_BYTES, fileEnd + 1 - position), position);
        position += chunk.length;
        controller.enqueue(chunk);
        if (position > fileEnd) {
          await close();
          if (end >= tailStart) controller.enqueue(tail.subarray(0, end + 1 - tailStart));
          controller.close();
        }
      } catch (error) {
        await close().catch(() => undefined);
        controller.error(error);
      }
    },
    cancel: () => close(),
  });
}

async function readExactly(file: ObjectFd, length: number, position: number): Promise<Buffer> {
  // Not from the shared pool: a small body is handed out as a view of this buffer.
  const buffer = Buffer.allocUnsafeSlow(length);
  await readInto(file, buffer, 0, position);
  return buffer;
}

/** Fills `buffer` from `offset` on with the file's bytes from `position` on. */
export async function readInto(file: ObjectFd, buffer: Buffer, offset: number, position: number): Promise<void> {
  let filled = offset;
  while (filled < buffer.length) {
    const bytesRead = await file.read(buffer, filled, buffer.length - filled, position + filled - offset);
    if (bytesRead === 0) throw new Error('The object file ended early (truncated on disk).');
    filled += bytesRead;
  }
}

/**
 * Buffers for a get's first read, reused: a small object is copied out of it into a buffer of its
 * own size, so a get allocates one buffer instead of two (an unpooled allocation costs about as
 * much CPU as the read). Handed out only when one read filled it (openObject).
 */
const scratchBuffers: Buffer[] = [];
const SCRATCH_KEPT = 32;

function takeScratch(length: number): Buffer {
  const spare = scratchBuffers.pop();
  return spare && spare.length === length ? spare : Buffer.allocUnsafeSlow(length);
}

function giveBackScratch(buffer: Buffer): void {
  if (scratchBuffers.length < SCRATCH_KEPT) scratchBuffers.push(buffer);
}

function corrupt(path: string): Error {
  return new Error(`The object file ${path} has no valid trailer.`);
}
