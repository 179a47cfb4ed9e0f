import { type Body, bodyToStream, concatBytes, SwitchyardError } from '@switchyard/core/adapter/storage';
import { mapS3Error } from './s3-errors.js';

/**
 * The body of a GET as a web stream, with read failures (a dropped connection mid-stream) turned
 * into SwitchyardErrors. It reads the SDK's body (a Node Readable, or a web stream elsewhere)
 * through its async iterator, so each chunk is handed on as it arrived: `transformToWebStream()`
 * copies every chunk and needed a second stream around it to map errors. Cancelling it destroys
 * the response, which frees the connection.
 */
export function mappedBody(body: AsyncIterable<Uint8Array> | undefined, key: string): ReadableStream<Uint8Array> {
  if (body === undefined) return bodyToStream(new Uint8Array());
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(mapS3Error(error, 'get', key));
      }
    },
    async cancel(reason) {
      // A Node Readable's iterator holds return() back until a read it is waiting on ends, which a
      // stalled response never does: destroy the response first.
      (body as { destroy?: () => void }).destroy?.();
      await chunks.return?.(reason);
    },
  });
}

function lengthMismatch(declared: number, actual: string): SwitchyardError {
  return new SwitchyardError({
    code: 'INVALID_INPUT',
    port: 'storage',
    provider: 'aws',
    operation: 'put',
    message: `The body is ${actual} bytes but contentLength says ${declared}; give the exact length or leave contentLength out.`,
  });
}

/**
 * Counts the bytes that pass through, so `put` can report the size of a stream of unknown length.
 * With `declared`, a body longer or shorter than it fails the stream, so S3 never stores a cut body.
 */
export function countingStream(declared?: number): { stream: TransformStream<Uint8Array, Uint8Array>; bytes: () => number } {
  let total = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (declared !== undefined && total > declared) controller.error(lengthMismatch(declared, `more than ${declared}`));
      else controller.enqueue(chunk);
    },
    flush(controller) {
      if (declared !== undefined && total !== declared) controller.error(lengthMismatch(declared, String(total)));
    },
  });
  return { stream, bytes: () => total };
}

/**
 * Reads a body of declared length into one buffer for a single PutObject. It stops at the first
 * byte past `declared` (a body longer than it said is never held whole), and a shorter one fails
 * too. A reader loop, not a TransformStream: piping costs several promise hops per chunk, most of
 * a 256 KiB copy's overhead over the raw client (bench row m1).
 */
export async function readDeclared(body: Body, declared: number): Promise<Uint8Array> {
  const reader = bodyToStream(body).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      total += next.value.byteLength;
      if (total > declared) {
        await reader.cancel().catch(() => undefined);
        throw lengthMismatch(declared, `more than ${declared}`);
      }
      chunks.push(next.value);
    }
  } finally {
    reader.releaseLock();
  }
  if (total !== declared) throw lengthMismatch(declared, String(total));
  return concatBytes(chunks, total);
}
