import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { OnEvent } from '@switchyard/core';
import { createCounters } from '@switchyard/otel/counters';
import { ChatHub } from './chat/hub.js';
import { acceptChatSockets } from './chat/socket.js';
import { distanceMethod, migrate } from './db/migrate.js';
import { fail, sendError } from './http.js';
import { openProviders, type Providers, STORAGE_PATH } from './providers.js';
import { type App, createRouter } from './router.js';
import { accountRoutes } from './routes/account.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { magicLinkRoutes } from './routes/magic-link.js';
import { matchRoutes } from './routes/matches.js';
import { memberRoutes } from './routes/members.js';
import { photoRoutes } from './routes/photos.js';
import { profileRoutes } from './routes/profile.js';
import { healthRoutes } from './web/health.js';
import { metricsRoutes } from './web/metrics.js';
import { staticFiles } from './web/static.js';

export interface ServerOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where uploaded files, the database and the auth state live. */
  dataDir: string;
  /** Flags and provider settings (SWITCHYARD_STORAGE, …). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Print the embedded auth's sign-in emails (code and link) to stdout: what `npm start` shows. */
  printSignInEmails?: boolean;
  /** Observability hook for every port call. */
  onEvent?: OnEvent;
  /** Server-side error log; default console.error. Never shown to clients. */
  log?: (message: string, error?: unknown) => void;
}

export interface RunningServer extends Omit<Providers, 'close' | 'serveStorage'> {
  /** Where the app answers, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** How this database measures distances: `postgis`, or `haversine` where PostGIS is missing (PGlite). */
  distance: 'postgis' | 'haversine';
  /** This instance's chat subscriptions. */
  hub: ChatHub;
  /** Open chat sockets; `restart()` closes one as a redeploy does (the page reconnects and catches up). */
  chatConnections: ReadonlySet<{ userId: string; restart(): void }>;
  /** Stops accepting requests, asks chat sockets to reconnect elsewhere, then closes every port. Idempotent. */
  close(): Promise<void>;
}

const routes = [
  ...healthRoutes,
  ...metricsRoutes,
  ...authRoutes,
  ...magicLinkRoutes,
  ...profileRoutes,
  ...accountRoutes,
  ...memberRoutes,
  ...photoRoutes,
  ...matchRoutes,
  ...conversationRoutes,
];

/** `src/server.ts` and `dist/server.js` are both one folder below the example, beside `public/`. */
const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

function originOf(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/**
 * Starts the app. It listens first, because the storage adapter signs URLs that point back at
 * this server, so it needs the real port (PORT=0 picks one) before the providers are built.
 * Then the schema is migrated through the DbPort.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((message: string, error?: unknown) => console.error(`[community-app] ${message}`, error ?? ''));
  const route = createRouter(routes);
  const serveStatic = await staticFiles(PUBLIC_DIR);
  let app: App | undefined;
  let providers: Providers | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    try {
      if (!app || !providers) throw fail('UNAVAILABLE', 'The app is still starting; try again in a moment.');
      const url = new URL(req.url ?? '/', app.origin);
      if (url.pathname.startsWith(`${STORAGE_PATH}/`) && providers.serveStorage && (await providers.serveStorage(req, res))) return;
      if (serveStatic(req, res, url.pathname)) return;
      const { handler, params } = route(req.method ?? 'GET', url.pathname);
      await handler({ app, req, res, url, params });
    } catch (error) {
      sendError(res, error, log);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  const sockets = acceptChatSockets(server, () => app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => resolve());
  });
  const origin = originOf(server.address() as AddressInfo);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Open pages reconnect, to another instance during a rolling deploy, and catch up from history.
      for (const connection of app?.connections ?? []) connection.restart();
      sockets.close();
      server.closeIdleConnections();
      // Requests still running get a moment to finish; then their connections are cut.
      const force = setTimeout(() => server.closeAllConnections(), 2000);
      await stopped;
      clearTimeout(force);
      await app?.hub.close();
      await providers?.close();
    })();
    return closing;
  };

  // The same counters `switchyard status` prints, served at /metrics; the caller's hook still sees every event.
  const counters = createCounters();
  const onEvent: OnEvent = options.onEvent
    ? (event) => {
        counters.onEvent(event);
        options.onEvent?.(event);
      }
    : counters.onEvent;
  let distance: RunningServer['distance'];
  try {
    providers = await openProviders({ env: options.env, dataDir: options.dataDir, origin, onEvent });
    if (options.printSignInEmails) {
      providers.mailbox?.onMessage((mail) =>
        console.log(`\n📬 Sign-in email for ${mail.to}\n   code: ${mail.code}\n   link: ${mail.link}\n`),
      );
    }
    await migrate(providers.db);
    distance = await distanceMethod(providers.db);
  } catch (error) {
    await close();
    throw error;
  }
  const { storage, auth, db, pubsub, mailbox } = providers;
  const hub = new ChatHub(pubsub, log);
  const connections = new Set<{ userId: string; restart(): void }>();
  app = {
    storage,
    auth,
    db,
    pubsub,
    origin,
    secureCookies: origin.startsWith('https:'),
    log,
    hub,
    connections,
    counters: counters.snapshot,
  };
  return { url: origin, distance, hub, chatConnections: connections, close, storage, auth, db, pubsub, ...(mailbox ? { mailbox } : {}) };
}
