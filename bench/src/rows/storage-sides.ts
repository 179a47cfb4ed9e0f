import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { StoragePort } from '@switchyard/core';

/** One way of storing objects, driven identically for the port and its raw anchor. */
export interface ObjectStore {
  putBytes(key: string, bytes: Uint8Array): Promise<unknown>;
  /** Reads the whole object into memory. */
  getBytes(key: string): Promise<Uint8Array>;
  /** Streams `chunks` in; `size` is their total. */
  putStream(key: string, chunks: () => AsyncIterable<Uint8Array>, size: number): Promise<unknown>;
  /** Streams the object out, discarding it; resolves with the byte count. */
  getStream(key: string): Promise<number>;
}

export const CHUNK = randomBytes(64 * 1024);

/** `size` bytes as 64 KiB chunks of one shared buffer: the source itself holds no memory. */
export function chunks(size: number): () => AsyncIterable<Uint8Array> {
  return async function* () {
    for (let sent = 0; sent < size; sent += CHUNK.length) yield CHUNK.subarray(0, Math.min(CHUNK.length, size - sent));
  };
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.byteLength;
  return bytes;
}

export function portStore(port: StoragePort): ObjectStore {
  return {
    putBytes: (key, bytes) => port.put(key, bytes, { contentType: 'application/octet-stream' }),
    getBytes: async (key) => (await port.get(key)).bytes(),
    putStream: (key, source, size) => port.put(key, source(), { contentType: 'application/octet-stream', contentLength: size }),
    getStream: async (key) => drain((await port.get(key)).body as unknown as AsyncIterable<Uint8Array>),
  };
}

/** Raw client-s3 (PutObject/GetObject), and lib-storage's Upload for streams, as the SDK docs advise. */
export function rawS3Store(client: S3Client, bucket: string, upload: { partSize: number; queueSize: number }): ObjectStore {
  return {
    putBytes: (key, bytes) =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/octet-stream' })),
    async getBytes(key) {
      const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Body!.transformToByteArray();
    },
    putStream: (key, source, size) =>
      new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: Readable.from(source()), ContentLength: size, ContentType: 'application/octet-stream' },
        ...upload,
      }).done(),
    async getStream(key) {
      const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return drain(Body as AsyncIterable<Uint8Array>);
    },
  };
}

/** node:fs doing what a careful app does: write a temp file, fsync, rename into place; read it back. */
export async function rawFsStore(directory: string): Promise<ObjectStore> {
  await mkdir(join(directory, 'tmp'), { recursive: true });
  const path = (key: string) => join(directory, encodeURIComponent(key));
  let temps = 0;
  const durable = async (key: string, write: (temp: string) => Promise<void>) => {
    const temp = join(directory, 'tmp', `${++temps}.part`);
    await write(temp);
    await rename(temp, path(key));
  };
  return {
    putBytes: (key, bytes) =>
      durable(key, async (temp) => {
        const handle = await open(temp, 'w');
        await handle.write(bytes);
        await handle.sync();
        await handle.close();
      }),
    getBytes: (key) => readFile(path(key)),
    putStream: (key, source) =>
      durable(key, async (temp) => {
        const out = createWriteStream(temp, { flush: true });
        await pipeline(Readable.from(source()), out);
      }),
    getStream: (key) => drain(createReadStream(path(key))),
  };
}
