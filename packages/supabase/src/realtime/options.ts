import type { WebSocketLikeConstructor } from '@supabase/supabase-js';
import { type OnEvent, SwitchyardError } from '@switchyard/core';

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
  /** How long a join, an acknowledged send or a REST publish may take. Default 10,000 ms. */
  timeoutMs?: number;
  /**
   * The WebSocket class. Default: the runtime's global `WebSocket` (Node 22+, browsers, Deno,
   * Bun); pass `ws`'s `WebSocket` on Node 20.
   */
  transport?: WebSocketLikeConstructor;
  /** Receives an OperationEvent for every call. */
  onEvent?: OnEvent;
}

/** The options checked and with defaults applied. */
export interface ResolvedRealtimeOptions {
  url: string;
  key: string;
  event: string;
  /** The server's limit on the whole broadcast payload (envelope included). */
  serverPayloadLimit: number;
  private: boolean;
  timeoutMs: number;
  transport: WebSocketLikeConstructor | undefined;
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
  if (problems.length > 0) {
    throw new SwitchyardError({
      code: 'CONFIG',
      port: 'pubsub',
      provider: 'supabase',
      operation: 'create',
      message: `Invalid Supabase Realtime settings: ${problems.join('; ')}.`,
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
    transport: options.transport,
  };
}
