import type { WebSocketLikeConstructor } from '@supabase/supabase-js';
import { realtimeError } from './errors.js';

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * The WebSocket class to connect with: the one given, else the runtime's global `WebSocket`
 * (Node 22+, Deno, Bun, browsers), else the `ws` package (Node 20 has no global WebSocket;
 * `ws` is an optional peer). Without any, a CONFIG error says what to install.
 */
export async function webSocketClass(given: WebSocketLikeConstructor | undefined): Promise<WebSocketLikeConstructor> {
  if (given) return given;
  if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket as unknown as WebSocketLikeConstructor;
  let ws: { WebSocket?: unknown; default?: unknown };
  try {
    ws = (await import('ws')) as { WebSocket?: unknown; default?: unknown };
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    throw realtimeError(
      'create',
      'CONFIG',
      'This runtime has no global WebSocket (Node 20): run npm install ws, or pass `transport` (a WebSocket class).',
      { cause: error },
    );
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
