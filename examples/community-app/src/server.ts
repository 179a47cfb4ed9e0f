import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OnEvent } from '@switchyard/core';
import { fail, sendError } from './http.js';
import { pageRoutes } from './page.js';
import { openProviders, type Providers, STORAGE_PATH } from './providers.js';
import { type App, createRouter } from './router.js';
import { authRoutes } from './routes/auth.js';
import { chatRoutes } from './routes/chat.js';
import { photoRoutes } from './routes/photos.js';
import { profileRoutes } from './routes/profile.js';
import { ensureSchema } from './schema.js';

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
  /** Stops accepting requests, ends open streams, then closes every port. Idempotent. */
  close(): Promise<void>;
}

const routes = [...pageRoutes, ...authRoutes, ...profileRoutes, ...photoRoutes, ...chatRoutes];

function originOf(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/**
 * Starts the app. It listens first, because the storage adapter signs URLs that point back at
 * this server, so it needs the real port (PORT=0 picks one) before the providers are built.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((message: string, error?: unknown) => console.error(`[community-app] ${message}`, error ?? ''));
  const route = createRouter(routes);
  let app: App | undefined;
  let providers: Providers | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    try {
      if (!app || !providers) throw fail('UNAVAILABLE', 'The app is still starting; try again in a moment.');
      const url = new URL(req.url ?? '/', app.origin);
      if (url.pathname.startsWith(`${STORAGE_PATH}/`) && providers.serveStorage && (await providers.serveStorage(req, res))) return;
      const { handler, params } = route(req.method ?? 'GET', url.pathname);
      await handler({ app, req, res, url, params });
    } catch (error) {
      sendError(res, error, log);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => resolve());
  });
  const origin = originOf(server.address() as AddressInfo);
  const streams = new Set<ServerResponse>();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const stream of streams) stream.end();
      server.closeIdleConnections();
      // Requests still running get a moment to finish; then their connections are cut.
      const force = setTimeout(() => server.closeAllConnections(), 2000);
      await stopped;
      clearTimeout(force);
      await providers?.close();
    })();
    return closing;
  };

  try {
    providers = await openProviders({ env: options.env, dataDir: options.dataDir, origin, onEvent: options.onEvent });
    if (options.printSignInEmails) {
      providers.mailbox?.onMessage((mail) =>
        console.log(`\n📬 Sign-in email for ${mail.to}\n   code: ${mail.code}\n   link: ${mail.link}\n`),
      );
    }
    await ensureSchema(providers.db);
  } catch (error) {
    await close();
    throw error;
  }
  const { storage, auth, db, pubsub, mailbox } = providers;
  app = { storage, auth, db, pubsub, origin, secureCookies: origin.startsWith('https:'), log, streams };
  return { url: origin, close, storage, auth, db, pubsub, ...(mailbox ? { mailbox } : {}) };
}
