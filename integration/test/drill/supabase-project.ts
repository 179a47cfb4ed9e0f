import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { type FakeGoTrue, FakeRealtime, type FakeStorage, startFakeGoTrue, startFakeStorage } from '@switchyard/test-peers/supabase';

/** The Supabase variables of this project, as an app would read them. */
export interface SupabaseEnv {
  SUPABASE_URL: string;
  SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  SUPABASE_STORAGE_BUCKET: string;
}

export interface SupabaseProject {
  env: SupabaseEnv;
  gotrue: FakeGoTrue;
  /** The Storage fake, unless the project serves a real Storage API server (`options.storage`). */
  storage: FakeStorage | undefined;
  realtime: FakeRealtime;
  faults: GatewayFaults;
  /** The one-time code of the last sign-in email sent to `email`. */
  codeFor(email: string): string;
  stop(): Promise<void>;
}

const ROUTES: [prefix: string, target: (project: Targets) => string][] = [
  ['/auth/v1/', (t) => t.gotrue],
  ['/storage/v1/', (t) => t.storage],
  ['/realtime/v1/', (t) => t.realtime],
];

interface Targets {
  gotrue: string;
  storage: string;
  realtime: string;
}

function targetOf(targets: Targets, path: string): URL | undefined {
  const route = ROUTES.find(([prefix]) => path.startsWith(prefix));
  return route ? new URL(route[1](targets)) : undefined;
}

/**
 * One URL for the three Supabase fakes, as Supabase's API gateway (Kong) serves Auth, Storage and
 * Realtime under one project URL: createProviders derives every service (and the auth issuer
 * `<SUPABASE_URL>/auth/v1`) from SUPABASE_URL alone. Plain HTTP is forwarded request by request;
 * WebSocket upgrades (Realtime) are piped as raw TCP.
 */
/** Faults the gateway puts in front of one service, changeable while it runs. */
export interface GatewayFaults {
  /** Milliseconds every Auth request waits before it is forwarded (a slow Supabase Auth). */
  authDelayMs: number;
}

function startGateway(
  targets: Targets,
  faults: GatewayFaults,
  realtimeKey?: { from: string; to: string },
): Promise<{ url: string; server: Server }> {
  const swap = (req: { url?: string | undefined; headers: Record<string, string | string[] | undefined> }) => {
    if (!realtimeKey || !req.url?.startsWith('/realtime/v1/')) return;
    req.url = req.url.replaceAll(realtimeKey.from, realtimeKey.to);
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && value.includes(realtimeKey.from))
        req.headers[name] = value.replaceAll(realtimeKey.from, realtimeKey.to);
    }
  };
  const server = createServer(async (req, res) => {
    swap(req);
    const target = targetOf(targets, req.url ?? '/');
    if (!target) {
      res.writeHead(404).end();
      return;
    }
    if (faults.authDelayMs > 0 && req.url?.startsWith('/auth/v1/')) await new Promise((resolve) => setTimeout(resolve, faults.authDelayMs));
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    swap(req);
    const target = targetOf(targets, req.url ?? '/');
    if (!target) {
      socket.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(req.headers).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${name === 'host' ? target.host : v}`),
      );
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }));
  });
}

/** A real Storage API server (the `supabase-storage` peer) to serve under the project URL instead of the fake. */
export interface RealStorage {
  /** Its SUPABASE_URL (it serves `/storage/v1/*`). */
  url: string;
  serviceRoleKey: string;
  anonKey: string;
  bucket: string;
}

/**
 * The Supabase fakes (GoTrue, Storage API, Realtime) behind one project URL; with `storage`, the
 * real Storage API server serves `/storage/v1` and its keys are the project's keys.
 */
export async function startSupabaseProject(options: { storage?: RealStorage } = {}): Promise<SupabaseProject> {
  const realtime = await FakeRealtime.start();
  // Realtime accepts only keys it handed out; the other fakes take whatever key they are given.
  const realtimeKey = realtime.newKey();
  const serviceRoleKey = options.storage?.serviceRoleKey ?? realtimeKey;
  const anonKey = options.storage?.anonKey ?? 'drill-anon-key';
  const bucket = options.storage?.bucket ?? 'uploads';
  const storage = options.storage ? undefined : await startFakeStorage({ serviceRoleKey, bucket });
  const targets: Targets = { gotrue: '', storage: options.storage?.url ?? storage?.url ?? '', realtime: realtime.url };
  // The real Storage server's key is a JWT Realtime never handed out: the gateway swaps it on the way to Realtime.
  const faults: GatewayFaults = { authDelayMs: 0 };
  const gateway = await startGateway(
    targets,
    faults,
    serviceRoleKey === realtimeKey ? undefined : { from: serviceRoleKey, to: realtimeKey },
  );
  const gotrue = await startFakeGoTrue({
    anonKey,
    serviceRoleKey,
    emailFrequencySeconds: 0,
    refreshTokenReuseInterval: 0,
    issuer: `${gateway.url}/auth/v1`,
  });
  targets.gotrue = gotrue.url;
  return {
    env: {
      SUPABASE_URL: gateway.url,
      SUPABASE_ANON_KEY: anonKey,
      SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
      SUPABASE_STORAGE_BUCKET: bucket,
    },
    gotrue,
    storage,
    realtime,
    faults,
    codeFor(email) {
      const mail = gotrue.lastEmail(email);
      if (!mail) throw new Error(`no Supabase sign-in email was sent to ${email}`);
      return mail.code;
    },
    async stop() {
      gateway.server.closeAllConnections();
      await new Promise((resolve) => gateway.server.close(resolve));
      await Promise.all([gotrue.close(), storage?.close(), realtime.close()]);
    },
  };
}
