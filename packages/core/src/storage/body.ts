import type { Body, ObjectInfo, StoredObject } from './port.js';

const encoder = new TextEncoder();

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Normalises any accepted body to a web stream without buffering it. */
export function bodyToStream(body: Body): ReadableStream<Uint8Array> {
  if (typeof body === 'string') return bodyToStream(encoder.encode(body));
  if (body instanceof Uint8Array) {
    return new ReadableStream({
      start(controller) {
        if (body.byteLength > 0) controller.enqueue(body);
        controller.close();
      },
    });
  }
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
  throw new TypeError('body must be a Uint8Array, string, ReadableStream or async iterable of Uint8Array');
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
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
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
