import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to traffic:
 * - `pass`: forwards both ways.
 * - `refuse`: stops listening, so a connect fails with ECONNREFUSED; open connections are reset.
 * - `reset`: accepts, then resets the connection (RST) as soon as anything arrives or at once.
 * - `delay`: forwards every chunk after `delayMs`.
 * - `blackhole`: accepts and swallows everything, answering nothing (open connections go silent too).
 * - `cut`: forwards, then resets the connection after `afterBytes` bytes of response.
 */
export type FaultMode = 'pass' | 'refuse' | 'reset' | 'delay' | 'blackhole' | 'cut';

export interface FaultSettings {
  delayMs?: number;
  afterBytes?: number;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Response bytes forwarded so far (for `cut`). */
  down: number;
}

/**
 * A TCP proxy for tests that puts a fault between a client and a real server (PostgreSQL, Redis,
 * an HTTP peer) and lifts it again, so a test can check the typed error, the bound on waiting,
 * and the recovery once the fault is gone. The mode applies to open connections as well as new ones.
 */
export class FaultProxy {
  private mode: FaultMode = 'pass';
  private settings: FaultSettings = {};
  private readonly pairs = new Set<Pair>();
  private server: Server | undefined;
  /** Connections accepted since start, for tests that check reconnection. */
  accepted = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(target: { host?: string; port: number }, port = 0): Promise<FaultProxy> {
    const proxy = new FaultProxy({ host: target.host ?? '127.0.0.1', port: target.port }, port);
    await proxy.listen();
    return proxy;
  }

  /** `url` (any scheme) with its host and port replaced by the proxy's. */
  url(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Switches the fault; open connections feel it on their next byte (`refuse` and `reset` drop them at once). */
  async set(mode: FaultMode, settings: FaultSettings = {}): Promise<void> {
    this.mode = mode;
    this.settings = settings;
    if (mode === 'refuse' || mode === 'reset') this.dropConnections();
    if (mode === 'refuse') await this.unlisten();
    else if (!this.server) await this.listen();
  }

  /** Resets every open connection, as a failover or a terminated backend would. */
  dropConnections(): void {
    for (const pair of this.pairs) this.destroy(pair);
  }

  async close(): Promise<void> {
    this.dropConnections();
    await this.unlisten();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        const address = server.address();
        if (typeof address === 'object' && address) this.port = address.port;
        this.server = server;
        resolve();
      });
    });
  }

  private unlisten(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private destroy(pair: Pair): void {
    this.pairs.delete(pair);
    // An RST, not a FIN: the peer sees ECONNRESET, as with a crashed server or a dropped route.
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (pair.upstream && !pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  }

  private accept(client: Socket): void {
    this.accepted++;
    const pair: Pair = { client, upstream: undefined, down: 0 };
    this.pairs.add(pair);
    client.on('error', () => this.destroy(pair));
    client.on('close', () => this.destroy(pair));
    if (this.mode === 'reset') {
      this.destroy(pair);
      return;
    }
    const upstream = createConnection(this.target);
    pair.upstream = upstream;
    upstream.on('error', () => this.destroy(pair));
    upstream.on('close', () => this.destroy(pair));
    client.on('data', (chunk: Buffer) => this.forward(pair, chunk, upstream, false));
    upstream.on('data', (chunk: Buffer) => this.forward(pair, chunk, client, true));
  }

  private forward(pair: Pair, chunk: Buffer, to: Socket, isResponse: boolean): void {
    switch (this.mode) {
      case 'reset':
      case 'refuse':
        this.destroy(pair);
        return;
      case 'blackhole':
        return;
      case 'delay': {
        const delay = this.settings.delayMs ?? 1_000;
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
        }, delay);
        return;
      }
      case 'cut': {
        if (!isResponse) break;
        const limit = this.settings.afterBytes ?? 0;
        const room = limit - pair.down;
        if (room <= 0) {
          this.destroy(pair);
          return;
        }
        pair.down += Math.min(room, chunk.byteLength);
        to.write(chunk.subarray(0, room), () => {
          if (pair.down >= limit) this.destroy(pair);
        });
        return;
      }
      case 'pass':
        break;
    }
    if (!to.destroyed) to.write(chunk);
  }
}
