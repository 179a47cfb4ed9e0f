import { networkErrorCode, STALE_CONNECTION_CODES, SwitchyardError, streamToBytes } from '@switchyard/core/adapter/storage';
import { StorageApiError } from './api-error.js';
import { storageError, urlWrong } from './errors.js';
import { Watchdog } from './watchdog.js';

/** A 2xx answer; its body fails with a retryable `UNAVAILABLE` when it stalls or breaks. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
}

export interface RequestOptions {
  method: string;
  /** The path under `/storage/v1`, already encoded. */
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  /** A streamed body, made afresh for each try; its reads must `touch` the request's watchdog (see `send`). */
  body?: (watchdog: Watchdog) => ReadableStream<Uint8Array>;
  /** The request may be sent again (every request this adapter sends is idempotent); false for a body that can be read only once. */
  replayable?: boolean;
}

/**
 * A keep-alive socket the server (or a proxy, or a load balancer's idle timeout) reset while it sat in
 * fetch's pool fails the next request on it before anything is answered, and a gateway whose own
 * upstream socket was reset answers 502 (503, 504 alike); the request goes out again. Bounded, and
 * never after a timeout, so a fault still fails within `timeoutMs`.
 */
const ATTEMPTS = 3;

const GATEWAY_STATUSES = new Set([502, 503, 504]);

const staleSocket = (error: unknown) => networkErrorCode(error, STALE_CONNECTION_CODES) !== undefined;

export interface HttpSettings {
  /** The project URL without a trailing slash. */
  url: string;
  key: string;
  fetch: typeof fetch;
  /** The longest the adapter waits without progress (no byte sent or received) in one request. */
  timeoutMs: number;
}

const unavailable = (operation: string, message: string, cause: unknown) => storageError(operation, 'UNAVAILABLE', message, cause);

/** The error a failed or stalled transfer becomes; a SwitchyardError already made is kept. */
function transferError(operation: string, watchdog: Watchdog, error: unknown): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  if (watchdog.expired) {
    return unavailable(
      operation,
      `Supabase Storage made no progress on ${operation} for ${watchdog.ms} ms (timeoutMs); retry later.`,
      error,
    );
  }
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const why = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return unavailable(operation, `Supabase Storage could not be reached for ${operation} (${why}); retry later.`, error);
}

/** The response body, failing with a retryable UNAVAILABLE when it stalls or breaks, and ending the watchdog when done. */
function guardedBody(operation: string, body: ReadableStream<Uint8Array>, watchdog: Watchdog): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        watchdog.touch();
        const next = await reader.read();
        watchdog.pause();
        if (next.done) {
          watchdog.stop();
          controller.close();
        } else {
          controller.enqueue(next.value);
        }
      } catch (error) {
        watchdog.stop();
        controller.error(transferError(operation, watchdog, error));
      }
    },
    async cancel(reason) {
      watchdog.stop();
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

async function refusal(response: Response, body: ReadableStream<Uint8Array>): Promise<StorageApiError> {
  const text = new TextDecoder().decode(await streamToBytes(body));
  let parsed: { statusCode?: unknown; code?: unknown; error?: unknown; message?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // A gateway (Kong, a proxy) may answer with HTML or plain text.
  }
  const fromBody = Number(parsed.statusCode);
  const status = Number.isInteger(fromBody) && fromBody >= 400 ? fromBody : response.status;
  const message =
    typeof parsed.message === 'string' ? parsed.message : typeof parsed.error === 'string' ? parsed.error : text.slice(0, 200);
  return new StorageApiError(response.status, status, typeof parsed.code === 'string' ? parsed.code : undefined, message);
}

/** The Storage API over fetch: authenticated requests, bounded by a progress watchdog, errors parsed. */
export class StorageHttp {
  constructor(readonly settings: HttpSettings) {}

  /** `/storage/v1` on the project, for URLs handed to callers. */
  get base(): string {
    return `${this.settings.url}/storage/v1`;
  }

  /**
   * Sends one request. Resolves with a 2xx response whose body stalls into a retryable
   * `UNAVAILABLE`; rejects with a `StorageApiError` when the server refused, or with a retryable
   * `UNAVAILABLE` when it could not be reached or made no progress for `timeoutMs`.
   */
  async send(operation: string, options: RequestOptions): Promise<ApiResponse> {
    for (let attempt = 1; ; attempt++) {
      const watchdog = new Watchdog(this.settings.timeoutMs);
      let response: Response;
      try {
        response = await this.settings.fetch(`${this.base}${options.path}`, this.init(options, watchdog));
      } catch (error) {
        watchdog.stop();
        if (attempt < ATTEMPTS && options.replayable !== false && !watchdog.expired && staleSocket(error)) {
          // Let the event loop take the reset sockets out of the pool before the next try.
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        throw transferError(operation, watchdog, error);
      }
      watchdog.pause();
      const guarded = guardedBody(operation, response.body ?? new Response('').body!, watchdog);
      if (GATEWAY_STATUSES.has(response.status) && attempt < ATTEMPTS && options.replayable !== false) {
        await guarded.cancel();
        continue;
      }
      if (!response.ok) throw await refusal(response, guarded);
      return { status: response.status, headers: response.headers, body: guarded };
    }
  }

  private init(options: RequestOptions, watchdog: Watchdog): RequestInit {
    const headers: Record<string, string> = {
      // Hosted projects route through a gateway that reads `apikey`; storage-api reads the bearer token.
      apikey: this.settings.key,
      authorization: `Bearer ${this.settings.key}`,
      ...options.headers,
    };
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body) {
      body = options.body(watchdog);
    }
    return {
      method: options.method,
      headers,
      ...(body === undefined ? {} : { body }),
      // A streamed request body needs half duplex in Node's fetch.
      ...(options.body ? { duplex: 'half' } : {}),
      signal: watchdog.signal,
    } as RequestInit;
  }

  /** Sends a request and reads its JSON answer. */
  async json<T>(operation: string, options: RequestOptions): Promise<T> {
    const { body } = await this.send(operation, options);
    const text = new TextDecoder().decode(await streamToBytes(body));
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch (error) {
      throw urlWrong(operation, error);
    }
  }
}
