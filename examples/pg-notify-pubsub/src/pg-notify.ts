import { createHash } from 'node:crypto';
import {
  adapterErrors,
  isNetworkError,
  type Json,
  type Message,
  type MessageHandler,
  type OnEvent,
  type PubSubDriver,
  type PubSubPort,
  pubSubPort,
  type Subscription,
  SwitchyardError,
} from '@switchyard/core/adapter';
import pg from 'pg';

export interface PgNotifyOptions {
  /** postgres://… of any PostgreSQL every instance of the app reaches. */
  url: string;
  /** How long to wait for a connection or a NOTIFY, in ms (default 5000). */
  timeoutMs?: number;
  /** Names this port's connections in pg_stat_activity (default `switchyard-pg-notify`). */
  applicationName?: string;
  onEvent?: OnEvent;
}

// NOTIFY payloads must stay under 8000 bytes; the envelope (id, channel, time) takes the rest.
const MAX_PAYLOAD_BYTES = 7_000;
const errors = adapterErrors('pubsub', 'pg-notify');

/** PostgreSQL channel names are identifiers (63 bytes, case-folded): app channels are hashed into one. */
function pgChannel(channel: string): string {
  return `sy_${createHash('sha256').update(channel).digest('hex').slice(0, 40)}`;
}

function mapError(operation: string, error: unknown): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  if (isNetworkError(error) || /Connection terminated|timeout/i.test(String((error as Error)?.message))) {
    return errors.error(operation, 'UNAVAILABLE', 'PostgreSQL cannot be reached for LISTEN/NOTIFY; retry.', {
      cause: error,
      retryable: true,
    });
  }
  return errors.error(operation, 'UNAVAILABLE', `PostgreSQL refused the ${operation}: ${(error as Error)?.message}`, {
    cause: error,
    retryable: false,
  });
}

interface Envelope {
  id: string;
  channel: string;
  data: Json;
  publishedAt: string;
}

/** One LISTEN connection for every subscription of this port, reopened (and re-LISTENed) when it breaks. */
class Listener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly config: pg.ClientConfig) {}

  async add(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const name = pgChannel(channel);
    const set = this.handlers.get(name) ?? new Set();
    const first = set.size === 0;
    set.add(handler);
    this.handlers.set(name, set);
    try {
      // LISTEN is idempotent: when the connection in hand turns out broken, one more try on a new one.
      await this.listen(name, first).catch(() => this.listen(name, first));
    } catch (error) {
      set.delete(handler);
      throw error;
    }
    return async () => {
      set.delete(handler);
      if (set.size > 0) return;
      this.handlers.delete(name);
      await this.client?.query(`UNLISTEN ${name}`).catch(() => undefined);
    };
  }

  private async listen(name: string, first: boolean): Promise<void> {
    const client = await this.connected();
    if (!first) return;
    try {
      await client.query(`LISTEN ${name}`);
    } catch (error) {
      this.lost(client);
      throw error;
    }
  }

  private connected(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client(this.config);
    client.on('notification', (n) => this.deliver(n.channel, n.payload));
    // A broken LISTEN connection loses deliveries until it is back: reopen it without waiting for a call.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const name of this.handlers.keys()) await client.query(`LISTEN ${name}`);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end();
      throw errors.error('subscribe', 'UNAVAILABLE', 'The port is closed.', { retryable: false });
    }
    this.client = client;
    return client;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.reconnect(250);
  }

  private reconnect(delayMs: number): void {
    if (this.closed || this.handlers.size === 0 || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connected().catch(() => this.reconnect(Math.min(delayMs * 2, 5_000)));
    }, delayMs);
    this.retryTimer.unref();
  }

  private deliver(name: string, payload: string | undefined): void {
    const handlers = this.handlers.get(name);
    if (!handlers || payload === undefined) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    const message: Message = {
      id: envelope.id,
      channel: envelope.channel,
      data: envelope.data,
      publishedAt: new Date(envelope.publishedAt),
    };
    // A handler that throws, at once or later, must not stop delivery to the others.
    for (const handler of handlers) new Promise<void>((resolve) => resolve(handler(message))).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.handlers.clear();
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  openConnections(): number {
    return this.client ? 1 : 0;
  }
}

function openPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, max: 4 });
  // An idle pooled connection that breaks is dropped by the pool; without a listener it would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

class PgNotifyDriver implements PubSubDriver {
  readonly capabilities = { patternSubscribe: false, maxPayloadBytes: MAX_PAYLOAD_BYTES, orderedPerChannel: true };
  private closed = false;
  private pool: pg.Pool;

  constructor(
    private readonly config: pg.PoolConfig,
    private readonly listener: Listener,
  ) {
    this.pool = openPool(config);
  }

  async publish<T extends Json>(channel: string, data: T, message: { id: string; json: string }): Promise<Message<T>> {
    this.assertOpen('publish');
    const publishedAt = new Date();
    const envelope = `{"id":${JSON.stringify(message.id)},"channel":${JSON.stringify(channel)},"publishedAt":"${publishedAt.toISOString()}","data":${message.json}}`;
    try {
      await this.pool.query('select pg_notify($1, $2)', [pgChannel(channel), envelope]);
    } catch (error) {
      const mapped = mapError('publish', error);
      // The pool's other idle connections may have broken the same way (a failover, a reset): open
      // new ones rather than let each later publish find one more dead connection. Not retried:
      // the NOTIFY may have gone out, and a second one would deliver the message twice.
      if (mapped.retryable) this.renewPool();
      throw mapped;
    }
    return { id: message.id, channel, data, publishedAt };
  }

  async subscribe<T extends Json>(topic: { channel: string } | { pattern: string }, handler: MessageHandler<T>): Promise<Subscription> {
    this.assertOpen('subscribe');
    const { channel } = topic as { channel: string };
    let remove: () => Promise<void>;
    try {
      remove = await this.listener.add(channel, handler as MessageHandler);
    } catch (error) {
      throw mapError('subscribe', error);
    }
    let active = true;
    return {
      unsubscribe: async () => {
        if (!active) return;
        active = false;
        await remove();
      },
    };
  }

  private renewPool(): void {
    const old = this.pool;
    this.pool = openPool(this.config);
    old.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.listener.close(), this.pool.end()]);
  }

  openConnections(): number {
    return this.pool.totalCount + this.listener.openConnections();
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw errors.error(operation, 'UNAVAILABLE', 'The port is closed.', { retryable: false });
  }
}

/** What a pg-notify port adds to the PubSubPort: its open connections, for tests and health checks. */
export type PgNotifyPubSub = PubSubPort & { openConnections(): number };

/** Opens the PubSubPort on PostgreSQL LISTEN/NOTIFY. */
export async function createPgNotifyPubSub(options: PgNotifyOptions): Promise<PgNotifyPubSub> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const config = {
    connectionString: options.url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    keepAlive: true,
    application_name: options.applicationName ?? 'switchyard-pg-notify',
  };
  const driver = new PgNotifyDriver(config, new Listener(config));
  const port = pubSubPort(driver, { provider: 'pg-notify', onEvent: options.onEvent });
  return Object.assign(port, { openConnections: () => driver.openConnections() });
}
