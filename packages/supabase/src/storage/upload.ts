import { type Body, bodyToStream, isRereadable, type PutOptions, SwitchyardError } from '@switchyard/core/adapter/storage';
import { storageError } from './errors.js';
import type { StorageHttp } from './http.js';
import type { Watchdog } from './watchdog.js';

/** The most bytes the adapter lets an upload carry, and where that limit comes from. */
export interface UploadLimit {
  bytes: number;
  source: string;
}

export function tooLarge(operation: string, limit: UploadLimit, size: number | undefined): SwitchyardError {
  const got = size === undefined ? 'more' : String(size);
  return storageError(operation, 'INVALID_INPUT', `The object is ${got} bytes; ${limit.source} allows at most ${limit.bytes} bytes.`);
}

/**
 * The body as sent: counted, each read restarting the request's watchdog, and failed as soon as it
 * passes `limit`. storage-api checks a size only from `Content-Length`; a body of unknown size
 * (chunked) is stored whatever its size (src/storage/uploader.ts: "Unknown-size binary uploads do
 * not have a later truncation signal"), so the adapter stops it before the last chunk, and the
 * server, seeing the request break, stores nothing.
 */
function sentBody(
  source: ReadableStream<Uint8Array>,
  watchdog: Watchdog,
  limit: UploadLimit | undefined,
  declared: number | undefined,
  state: SendState,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      watchdog.touch();
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        state.sourceError = error;
        controller.error(error);
        return;
      }
      if (next.done) {
        if (declared !== undefined && state.size !== declared) {
          state.wrongLength = true;
          return controller.error(new Error('shorter than contentLength'));
        }
        return controller.close();
      }
      state.size += next.value.byteLength;
      if (declared !== undefined && state.size > declared) {
        state.wrongLength = true;
        controller.error(new Error('longer than contentLength'));
        await reader.cancel('longer than contentLength').catch(() => undefined);
        return;
      }
      if (limit !== undefined && state.size > limit.bytes) {
        state.overLimit = true;
        controller.error(new Error('over the size limit'));
        await reader.cancel('over the size limit').catch(() => undefined);
        return;
      }
      controller.enqueue(next.value);
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

interface SendState {
  size: number;
  overLimit: boolean;
  /** The body was not `contentLength` bytes long. */
  wrongLength: boolean;
  sourceError?: unknown;
}

/** The request headers storage-api reads for an upload (src/storage/uploader.ts). */
function uploadHeaders(options: PutOptions, contentType: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': contentType, 'x-upsert': 'true' };
  if (options.cacheControl !== undefined) headers['cache-control'] = options.cacheControl;
  if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength);
  if (options.metadata && Object.keys(options.metadata).length > 0) {
    headers['x-metadata'] = Buffer.from(JSON.stringify(options.metadata), 'utf8').toString('base64');
  }
  return headers;
}

/**
 * Streams `body` to `POST /object/{bucket}/{key}` with `x-upsert: true` (replace), sending
 * `Content-Length` whenever the size is known so the server can refuse an oversize body at once.
 * Resolves with the number of bytes sent; throws the server's refusal as it came (for mapping).
 */
export async function upload(
  http: StorageHttp,
  path: string,
  body: Body,
  options: PutOptions & { contentType: string },
  limit: UploadLimit | undefined,
): Promise<number> {
  if (limit !== undefined && options.contentLength !== undefined && options.contentLength > limit.bytes) {
    throw tooLarge('put', limit, options.contentLength);
  }
  const state: SendState = { size: 0, overLimit: false, wrongLength: false };
  try {
    await http.json('put', {
      method: 'POST',
      path,
      headers: uploadHeaders(options, options.contentType),
      body: (watchdog) => {
        Object.assign(state, { size: 0, overLimit: false, wrongLength: false, sourceError: undefined });
        return sentBody(bodyToStream(body), watchdog, limit, options.contentLength, state);
      },
      replayable: isRereadable(body),
    });
  } catch (error) {
    if (state.overLimit && limit !== undefined) throw tooLarge('put', limit, undefined);
    if (state.wrongLength) {
      throw storageError(
        'put',
        'INVALID_INPUT',
        `The body is not contentLength (${options.contentLength}) bytes long; nothing was stored.`,
      );
    }
    if (state.sourceError !== undefined) {
      if (SwitchyardError.isInstance(state.sourceError)) throw state.sourceError;
      throw storageError('put', 'INVALID_INPUT', 'Reading the body to upload failed; nothing was stored.', state.sourceError);
    }
    throw error;
  }
  return state.size;
}
