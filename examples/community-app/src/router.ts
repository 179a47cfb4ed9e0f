import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthPort, DbPort, PubSubPort, StoragePort } from '@switchyard/core';
import type { CountersSnapshot } from '@switchyard/otel/counters';
import type { ChatHub } from './chat/hub.js';
import { fail } from './http.js';

/** The four ports the routes use; nothing else about the providers is visible to them. */
export interface Ports {
  storage: StoragePort;
  auth: AuthPort;
  db: DbPort;
  pubsub: PubSubPort;
}

/** What every route sees: the ports and where the app is served. */
export interface App extends Ports {
  /** The app's public origin, for example `http://127.0.0.1:3000`. */
  origin: string;
  /** Mark cookies `Secure` (when the app is served over HTTPS). */
  secureCookies: boolean;
  log: (message: string, error?: unknown) => void;
  /** This instance's subscriptions to the shared chat channels. */
  hub: ChatHub;
  /** Open chat sockets, asked to reconnect elsewhere on shutdown. */
  connections: Set<{ userId: string; restart(): void }>;
  /** This instance's port calls, errors and dual-run divergences since it started. */
  counters(): CountersSnapshot;
}

export interface RequestContext {
  app: App;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** `:name` segments of the route's path, URI-decoded. */
  params: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path such as `/conversations/:id/messages`; a `:name` segment matches one non-empty segment. */
  path: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

/** A path matcher over a fixed list of routes; 404 for an unknown path, 405 semantics folded into 404. */
export function createRouter(
  routes: readonly Route[],
): (method: string, pathname: string) => { handler: Handler; params: Record<string, string> } {
  const compiled: CompiledRoute[] = routes.map((route) => {
    const names: string[] = [];
    const pattern = route.path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    return { ...route, names, regex: new RegExp(`^${pattern}$`) };
  });
  return (method, pathname) => {
    for (const route of compiled) {
      if (route.method !== method) continue;
      const match = route.regex.exec(pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, index) => {
          params[name] = decodeURIComponent(match[index + 1] ?? '');
        });
      } catch {
        throw fail('INVALID_INPUT', 'The request path is not valid URI encoding.');
      }
      return { handler: route.handler, params };
    }
    throw fail('NOT_FOUND', `No route for ${method} ${pathname}.`);
  };
}
