import { STALE_CONNECTION_CODES } from '../adapter/network-errors.js';

// Methods a second attempt cannot apply twice (RFC 9110 §9.2.2).
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

function staleConnection(error: unknown): boolean {
  // fetch puts the socket's error in `cause`; only that level means a connection went stale.
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && STALE_CONNECTION_CODES.has(code);
}

/**
 * `fetchImpl` with a deadline of `timeoutMs` per call, body included (a server that accepts and
 * never answers must not hold a request forever), and one more attempt for an idempotent request
 * whose pooled keep-alive connection turns out to be dead: a server closes an idle connection
 * (Node's after 5 s, a load balancer's, a failover) just as the client reuses it, and undici reports
 * `ECONNRESET`/`EPIPE` although a fresh connection would work.
 */
export function boundedFetch(fetchImpl: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    try {
      return await fetchImpl(input, { ...init, signal });
    } catch (error) {
      if (!IDEMPOTENT.has(method) || signal.aborted || !staleConnection(error)) throw error;
      return fetchImpl(input, { ...init, signal });
    }
  };
}
