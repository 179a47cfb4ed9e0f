import { AsyncLocalStorage } from 'node:async_hooks';

interface RangeRequest {
  range: { start: number; end: number };
  /** The status the server answered with: 206 when it honoured the range. */
  status?: number;
}

const current = new AsyncLocalStorage<RangeRequest>();

/**
 * storage-js `download()` has no range option, so the adapter gives supabase-js a fetch that adds
 * a `Range` header to requests made inside `withRange`: the request is otherwise exactly the one
 * supabase-js sends, with its keys and headers.
 */
export function rangeAwareFetch(base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const request = current.getStore();
    if (!request) return base(input, init);
    const headers = new Headers(init?.headers);
    headers.set('range', `bytes=${request.range.start}-${request.range.end}`);
    const response = await base(input, { ...init, headers });
    request.status = response.status;
    return response;
  };
}

/** Runs `download` with a Range header on its request; reports whether the server honoured it. */
export async function withRange<T>(
  range: { start: number; end: number },
  download: () => Promise<T>,
): Promise<{ result: T; partial: boolean }> {
  const request: RangeRequest = { range };
  const result = await current.run(request, download);
  return { result, partial: request.status === 206 };
}

/** Keeps bytes `start`–`end` (inclusive) of a whole-object stream, for servers that ignore Range. */
export function sliceStream(stream: ReadableStream<Uint8Array>, start: number, end: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const from = Math.max(start - offset, 0);
        const to = Math.min(end + 1 - offset, chunk.byteLength);
        if (from < to) controller.enqueue(chunk.subarray(from, to));
        offset += chunk.byteLength;
      },
    }),
  );
}
