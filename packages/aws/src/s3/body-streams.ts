import { SwitchyardError } from '@switchyard/core';
import { mapS3Error } from './s3-errors.js';

/** The body of a GET, with read failures (a dropped connection mid-stream) turned into SwitchyardErrors. */
export function mappedBody(body: ReadableStream<Uint8Array>, key: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(mapS3Error(error, 'get', key));
      }
    },
    cancel: (reason) => reader.cancel(reason),
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
