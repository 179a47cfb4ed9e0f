import { networkErrorCode, STALE_CONNECTION_CODES } from '@switchyard/core/adapter/pubsub';
import { realtimeError, restError } from './errors.js';
import type { ResolvedRealtimeOptions } from './options.js';

/**
 * Publishes through `POST /realtime/v1/api/broadcast`, the endpoint supabase-js itself falls back to
 * when a channel is not joined (https://supabase.com/docs/guides/realtime/broadcast, "Broadcast
 * using the REST API"). No socket is needed, so publishing never opens one.
 */
export async function restBroadcast(options: ResolvedRealtimeOptions, topic: string, payload: unknown): Promise<void> {
  const operation = 'publish';
  const signal = AbortSignal.timeout(options.timeoutMs);
  const send = () =>
    fetch(`${options.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: options.key, authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic, event: options.event, payload, private: options.private }] }),
      signal,
    });
  let response: Response;
  try {
    // A kept-alive connection the server (or a load balancer) has closed while idle fails at once
    // with a reset; the request goes again on a new connection, within the same timeout. Should the
    // reset come after the server took the message, it is delivered twice with one envelope id.
    response = await send().catch((cause: unknown) => {
      if (networkErrorCode(cause, STALE_CONNECTION_CODES) === undefined || signal.aborted) throw cause;
      return send();
    });
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
    throw realtimeError(
      operation,
      'UNAVAILABLE',
      timedOut ? 'The Supabase Realtime broadcast request timed out.' : 'Supabase Realtime is unreachable.',
      {
        cause,
      },
    );
  }
  // Drain the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status !== 202 && !response.ok) throw restError(response.status, operation);
}
