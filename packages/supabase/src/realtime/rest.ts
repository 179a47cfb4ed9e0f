import { realtimeError, restError } from './errors.js';
import type { ResolvedRealtimeOptions } from './options.js';

/**
 * Publishes through `POST /realtime/v1/api/broadcast`, the endpoint supabase-js itself falls back to
 * when a channel is not joined (https://supabase.com/docs/guides/realtime/broadcast, "Broadcast
 * using the REST API"). No socket is needed, so publishing never opens one.
 */
export async function restBroadcast(options: ResolvedRealtimeOptions, topic: string, payload: unknown): Promise<void> {
  const operation = 'publish';
  let response: Response;
  try {
    response = await fetch(`${options.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: options.key, authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic, event: options.event, payload, private: options.private }] }),
      signal: AbortSignal.timeout(options.timeoutMs),
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
