import type { SupabaseClient, WebSocketLikeConstructor } from '@supabase/supabase-js';
import type { OnEvent } from '@switchyard/core/adapter/pubsub';
import { adapterErrors } from '@switchyard/core/adapter/pubsub';

/** Options of `createSupabaseRealtime`. */
export interface SupabaseRealtimeOptions {
  /** The project URL, `https://<project-ref>.supabase.co` (SUPABASE_URL). */
  url: string;
  /** The service-role (server) or anon key the socket and the REST endpoint authenticate with. */
  key: string;
  /**
   * The broadcast event name every message uses (`channel.on('broadcast', { event })` in
   * supabase-js). Default `message`. Clients of the same channel must use the same name.
   */
  event?: string;
  /**
   * The project's broadcast payload limit in bytes: 256 KB on the Free plan, 3,000 KB on Pro
   * (https://supabase.com/docs/guides/realtime/limits). Default 256 × 1024. The adapter reserves
   * room for its envelope, so `capabilities.maxPayloadBytes` is a little lower.
   */
  maxPayloadBytes?: number;
  /** Use private channels (Realtime Authorization via RLS on `realtime.messages`). Default false. */
  private?: boolean;
  /**
   * How long a join, an acknowledged send or a REST publish may take before UNAVAILABLE
   * (retryable). A socket still connecting after half of it is abandoned and retried. Default 10,000 ms.
   */
  timeoutMs?: number;
  /**
   * The longest pause between reconnect attempts of the socket (realtime-js's 1, 2, 5, 10 s
   * schedule, capped). Default a quarter of `timeoutMs`, so a join made once the service is back
   * finds the socket reconnected in time.
   */
  maxReconnectDelayMs?: number;
  /** How often the socket sends a heartbeat; a heartbeat left unanswered drops and reopens it. Default 25,000 ms. */
  heartbeatIntervalMs?: number;
  /**
   * The WebSocket class, or which one to load: `'global'`, the runtime's `WebSocket` (Node 22+,
   * browsers, Deno, Bun); `'ws'`, the `ws` package (`npm install ws`). Default: the global one,
   * else `ws` when it is installed (Node 20). SUPABASE_REALTIME_TRANSPORT.
   */
  transport?: RealtimeTransport;
  /**
   * A supabase-js client of your own to join channels with (its realtime settings, `transport`
   * included, are then yours; `timeoutMs` still bounds joins and sends). Closing the port leaves
   * its channels and disconnects its socket, but the client stays usable for REST calls.
   */
  client?: SupabaseClient;
  /** Receives an OperationEvent for every call. */
  onEvent?: OnEvent;
}

/** A WebSocket class, or the name of one the adapter loads. */
export type RealtimeTransport = WebSocketLikeConstructor | 'global' | 'ws';

/** The options checked and with defaults applied. */
export interface ResolvedRealtimeOptions {
  url: string;
  key: string;
  event: string;
  /** The server's limit on the whole broadcast payload (envelope included). */
  serverPayloadLimit: number;
  private: boolean;
  timeoutMs: number;
  /** How long one socket connection attempt may take: half of `timeoutMs`. */
  attemptTimeoutMs: number;
  maxReconnectDelayMs: number;
  heartbeatIntervalMs: number;
  transport: RealtimeTransport | undefined;
}

/** Free-plan broadcast payload limit. */
export const DEFAULT_PAYLOAD_LIMIT = 256 * 1024;

/** Applies defaults; one CONFIG error lists every problem. */
export function resolveRealtimeOptions(options: SupabaseRealtimeOptions): ResolvedRealtimeOptions {
  const problems: string[] = [];
  let url = '';
  try {
    const parsed = new URL(options?.url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http');
    url = parsed.toString().replace(/\/+$/, '');
  } catch {
    problems.push('url must be the project URL, e.g. https://<project-ref>.supabase.co (SUPABASE_URL)');
  }
  // REST publishes authenticate with the key, whoever made the socket's client.
  if (typeof options?.key !== 'string' || options.key === '') problems.push('key is required (SUPABASE_SERVICE_ROLE_KEY)');
  const event = options?.event ?? 'message';
  // realtime-js writes the event name's length in one byte of its binary frame header.
  if (typeof event !== 'string' || event === '' || new TextEncoder().encode(event).length > 255) {
    problems.push('event must be a non-empty name of at most 255 bytes');
  }
  const limit = options?.maxPayloadBytes ?? DEFAULT_PAYLOAD_LIMIT;
  if (!Number.isInteger(limit) || limit < 1024) problems.push('maxPayloadBytes must be an integer of at least 1024');
  const timeoutMs = options?.timeoutMs ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) problems.push('timeoutMs must be a positive number');
  const maxReconnectDelayMs = options?.maxReconnectDelayMs ?? timeoutMs / 4;
  if (!Number.isFinite(maxReconnectDelayMs) || maxReconnectDelayMs <= 0) problems.push('maxReconnectDelayMs must be a positive number');
  const heartbeatIntervalMs = options?.heartbeatIntervalMs ?? 25_000;
  if (!Number.isFinite(heartbeatIntervalMs) || heartbeatIntervalMs <= 0) problems.push('heartbeatIntervalMs must be a positive number');
  const transport = options?.transport;
  if (transport !== undefined && transport !== 'global' && transport !== 'ws' && typeof transport !== 'function') {
    problems.push('transport must be a WebSocket class, "global" or "ws"');
  }
  if (problems.length > 0) {
    throw adapterErrors('pubsub', 'supabase').config(`Invalid Supabase Realtime settings: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
  return {
    url,
    key: options.key,
    event,
    serverPayloadLimit: limit,
    private: options.private === true,
    timeoutMs,
    attemptTimeoutMs: timeoutMs / 2,
    maxReconnectDelayMs,
    heartbeatIntervalMs,
    transport: options.transport,
  };
}
