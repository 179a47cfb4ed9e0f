import type { WebSocketLikeConstructor } from '@supabase/supabase-js';
import { isModuleNotFound } from '@switchyard/core/adapter/pubsub';
import { realtimeError } from './errors.js';
import type { RealtimeTransport } from './options.js';

/**
 * The WebSocket class to connect with: the one given; for `'global'` the runtime's `WebSocket`;
 * for `'ws'` the `ws` package (an optional peer); by default the global one (Node 22+, Deno, Bun,
 * browsers), else `ws` (Node 20 has none). Without either, a CONFIG error says what to install.
 */
export async function webSocketClass(given: RealtimeTransport | undefined): Promise<WebSocketLikeConstructor> {
  if (typeof given === 'function') return given;
  const global = typeof globalThis.WebSocket === 'function' ? (globalThis.WebSocket as unknown as WebSocketLikeConstructor) : undefined;
  if (given === 'global' || (given === undefined && global)) {
    if (global) return global;
    throw realtimeError(
      'create',
      'CONFIG',
      'This runtime has no global WebSocket (Node 20): set transport "ws" (SUPABASE_REALTIME_TRANSPORT=ws) and npm install ws.',
    );
  }
  let ws: { WebSocket?: unknown; default?: unknown };
  try {
    ws = (await import('ws')) as { WebSocket?: unknown; default?: unknown };
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    const why =
      given === 'ws'
        ? 'transport "ws" (SUPABASE_REALTIME_TRANSPORT=ws) needs the ws package'
        : 'This runtime has no global WebSocket (Node 20)';
    throw realtimeError('create', 'CONFIG', `${why}: run npm install ws, or pass \`transport\` (a WebSocket class).`, { cause: error });
  }
  return (ws.WebSocket ?? ws.default) as WebSocketLikeConstructor;
}

/**
 * `Base`, with the opening handshake bounded: a socket still connecting after `ms` is closed, which
 * realtime-js treats as a failed attempt and retries on its schedule. Without a bound, an attempt
 * to a server that accepts the TCP connection and never answers stays "connecting" for good, and
 * realtime-js starts no other attempt while one is connecting: subscriptions never come back.
 */
export function withHandshakeTimeout(Base: WebSocketLikeConstructor, ms: number): WebSocketLikeConstructor {
  const Parent = Base as unknown as new (
    ...args: unknown[]
  ) => {
    readyState: number;
    close(): void;
    addEventListener(type: string, listener: () => void): void;
  };
  class BoundedWebSocket extends Parent {
    constructor(...args: unknown[]) {
      super(...args);
      const timer = setTimeout(() => {
        // CONNECTING: closing fails the attempt (error and close events, code 1006).
        if (this.readyState === 0) this.close();
      }, ms);
      timer.unref?.();
      this.addEventListener('open', () => clearTimeout(timer));
      this.addEventListener('close', () => clearTimeout(timer));
    }
  }
  return BoundedWebSocket as unknown as WebSocketLikeConstructor;
}
