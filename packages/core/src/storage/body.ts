import { SwitchyardError } from '../errors.js';
import type { Body, ObjectInfo, PutOptions, StoredObject } from './port.js';

const encoder = new TextEncoder();

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

/**
 * The bytes of a body already whole in memory (a string, an `ArrayBuffer` or any view of one),
 * without copying; undefined for streams and Blobs.
 */
export function wholeBytes(body: Body): Uint8Array | undefined {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}

/**
 * True when the body can be read more than once (whole bytes or a Blob), so a dual-run write can
 * send it to both sides.
 */
export function isRereadable(body: Body): boolean {
  return wholeBytes(body) !== undefined || isBlob(body);
}

/** Throws `INVALID_INPUT` unless `body` is one of the types `Body` names. Adapters call it before any I/O. */
export function validateBody(body: unknown, context: { provider: string; operation: string }): asserts body is Body {
  if (
    typeof body === 'string' ||
    ArrayBuffer.isView(body) ||
    body instanceof ArrayBuffer ||
    isBlob(body) ||
    body instanceof ReadableStream ||
    isAsyncIterable(body)
  ) {
    return;
  }
  const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
  throw new SwitchyardError({
    code: 'INVALID_INPUT',
    port: 'storage',
    ...context,
    message: `Invalid body (${got}): pass a string, ArrayBuffer, Uint8Array (or another ArrayBufferView), Blob/File, ReadableStream or async iterable of bytes.`,
  });
}

/**
 * The options a put should use for `body`: a Blob's size and type fill `contentLength` and
 * `contentType` where the caller gave none, and whole bytes fill `contentLength`.
 */
export function putOptionsFor(body: Body, options: PutOptions | undefined): PutOptions {
  const resolved: PutOptions = { ...options };
  if (isBlob(body)) {
    resolved.contentLength ??= body.size;
    if (resolved.contentType === undefined && body.type !== '') resolved.contentType = body.type;
  } else if (resolved.contentLength === undefined) {
    const bytes = wholeBytes(body);
    if (bytes) resolved.contentLength = bytes.byteLength;
  }
  return resolved;
}

/** Normalises any accepted body to a web stream without buffering it. */
export function bodyToStream(body: Body): ReadableStream<Uint8Array> {
  const bytes = wholeBytes(body);
  if (bytes) {
    return new ReadableStream({
      start(controller) {
        if (bytes.byteLength > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  if (isBlob(body)) return body.stream() as ReadableStream<Uint8Array>;
  if (body instanceof ReadableStream) return body;
  if (isAsyncIterable(body)) {
    const iterator = body[Symbol.asyncIterator]();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    });
  }
  // validateBody runs before any adapter gets here; this guards a caller that skipped it.
  validateBody(body, { provider: 'core', operation: 'put' });
  throw new TypeError('unreachable: validateBody accepted a body bodyToStream cannot read');
}

/** Reads a whole stream into one buffer. */
export async function streamToBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // A reader loop, not `for await`: async iteration of a web stream costs several microseconds per
  // chunk, which is most of a small object's read.
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(next.value);
      size += next.value.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  return concatBytes(chunks, size);
}

/** `chunks` as one buffer of `size` bytes (their total); a single chunk is returned as it is. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Reads any accepted body into one buffer (for adapters whose provider needs the whole body). */
export async function bodyToBytes(body: Body): Promise<Uint8Array> {
  const bytes = wholeBytes(body);
  if (bytes) return bytes;
  if (isBlob(body)) return new Uint8Array(await body.arrayBuffer());
  return streamToBytes(bodyToStream(body));
}

/** Builds the `StoredObject` every adapter returns from `get`. */
export function storedObject(info: ObjectInfo, body: ReadableStream<Uint8Array>, range?: { start: number; end: number }): StoredObject {
  return {
    info,
    body,
    range,
    bytes: () => streamToBytes(body),
    text: async () => new TextDecoder().decode(await streamToBytes(body)),
  };
}
