import { bodyToStream, SwitchyardError } from '@switchyard/core/adapter/storage';
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
