import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { ExistingRedisClient, ResolvedOptions } from './options.js';

/**
 * The part of an ioredis `Redis` or `Cluster` this adapter uses. Declared here so that no ioredis
 * type appears in the package's public declarations: ioredis is an optional peer.
 */
export interface RedisClient {
  /** `wait`, `connecting`, `connect`, `ready`, `reconnecting`, `close`, `end` (and `disconnecting` for Cluster). */
  readonly status: string;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  publish(channel: string, message: string): Promise<number>;
  spublish(channel: string, message: string): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  psubscribe(...patterns: string[]): Promise<unknown>;
  punsubscribe(...patterns: string[]): Promise<unknown>;
  ssubscribe(...channels: string[]): Promise<unknown>;
  sunsubscribe(...channels: string[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  quit(): Promise<unknown>;
  /** Closes the connection; with `reconnect`, ioredis opens a new one. */
  disconnect(reconnect?: boolean): void;
  /** Cluster only: the node connections. */
  nodes?(role: 'master'): RedisClient[];
  /** A node connection's address. */
  readonly options?: { host?: string; port?: number };
  /** Standalone only: the current socket. */
  readonly stream?: RedisSocket;
}

/** The part of a client's socket this adapter uses. */
export interface RedisSocket {
  readonly writable: boolean;
  readonly destroyed: boolean;
  destroy(): void;
  cork(): void;
  uncork(): void;
}

/**
 * Where to send a PUBLISH. A Cluster sends key-less commands such as PUBLISH to a random node, and
 * messages from different nodes reach a subscriber over different cluster-bus links, so two
 * publishes could arrive swapped (seen against a local 3-node cluster). Each adapter therefore
 * publishes through one primary, chosen by `seed`, which keeps its messages in publish order, on a
 * channel and across channels, while the topology holds; different processes spread over the
 * primaries. Every node forwards every message anyway. Sharded SPUBLISH has a key and goes to its
 * slot's owner.
 */
export function publisherFor(client: RedisClient, seed: number): RedisClient {
  const masters = client.nodes?.('master');
  if (!masters || masters.length === 0) return client;
  const address = (node: RedisClient) => `${node.options?.host}:${node.options?.port}`;
  const sorted = [...masters].sort((a, b) => (address(a) < address(b) ? -1 : 1));
  return sorted[seed % sorted.length] ?? client;
}

/** What `import('ioredis')` gives, in ESM and through a CJS interop wrapper alike. */
export interface IoredisModule {
  Redis?: unknown;
  Cluster?: unknown;
  default?: unknown;
}

type RedisConstructor = new (...args: unknown[]) => RedisClient;

/** Which connection: the publisher (commands) or the subscriber (subscriber mode only). */
export type Role = 'pub' | 'sub';

// Back off 100, 200, 400 … ms up to `maxReconnectDelayMs`, with jitter so a fleet of Lambdas does
// not reconnect in step. Never give up: a broker restart must not leave a long-lived subscriber
// disconnected for good. https://github.com/redis/ioredis#auto-reconnect
function retryDelay(maxMs: number): (times: number) => number {
  return (times) => {
    const base = Math.min(100 * 2 ** Math.min(times - 1, 10), maxMs);
    return Math.round(base / 2 + Math.random() * (base / 2));
  };
}

function tlsOption(tls: ResolvedOptions['tls']): RedisOptions['tls'] {
  if (tls === undefined || tls === false) return undefined;
  return tls === true ? {} : tls;
}

function commonOptions(options: ResolvedOptions, role: Role): RedisOptions {
  const tls = tlsOption(options.tls);
  return {
    connectionName: `${options.connectionName}:${role}`,
    // ioredis bounds only the TCP connect with this; Connection bounds the whole attempt the same.
    connectTimeout: options.attemptTimeoutMs,
    // ioredis arms and clears a timer per command for this; the publisher's replies are bounded by
    // one watchdog per connection instead (Connection.reply), the subscriber's rare SUBSCRIBEs here.
    ...(role === 'sub' ? { commandTimeout: options.commandTimeoutMs } : {}),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(tls === undefined ? {} : { tls }),
  };
}

// What the delivery guarantees rely on, for a client of ours and a duplicate of the app's alike.
function standaloneBehaviour(options: ResolvedOptions, role: Role): RedisOptions {
  return {
    ...commonOptions(options, role),
    enableOfflineQueue: false,
    retryStrategy: retryDelay(options.maxReconnectDelayMs),
    // The subscriber re-subscribes from the adapter's own registry on every 'ready' (see
    // subscriptions.ts); ioredis's copy only holds confirmed subscriptions and can lag behind it.
    autoResubscribe: false,
    // A command cut off by a dropped connection is resent once it is back (ioredis default), and
    // fails after the command timeout at the latest; fail queued ones after two reconnect attempts.
    maxRetriesPerRequest: 1,
    // No auto-pipelining: it keeps one batch in flight at a time, so the process and Redis take
    // turns. The publisher coalesces each turn's writes itself (Connection.coalesceWrites).
    enableAutoPipelining: false,
  };
}

function clusterBehaviour(options: ResolvedOptions, redisOptions: RedisOptions): ClusterOptions {
  return {
    enableOfflineQueue: false,
    clusterRetryStrategy: retryDelay(options.maxReconnectDelayMs),
    shardedSubscribers: options.sharded,
    redisOptions,
    // ElastiCache TLS certificates name the configuration endpoint, not the node IPs the
    // cluster announces, so keep the hostnames: https://github.com/redis/ioredis#special-note-aws-elasticache-clusters-with-tls
    ...(redisOptions.tls === undefined ? {} : { dnsLookup: (address: string, callback) => callback(null, address) }),
  };
}

/**
 * Opens one ioredis client. Commands are never queued while disconnected (`enableOfflineQueue:
 * false`): each call waits for the connection itself, for a bounded time, so a publish either
 * reaches Redis now or fails with UNAVAILABLE, instead of sitting in a queue and going out minutes
 * later after the caller has given up and retried.
 */
export function openClient(ioredis: IoredisModule, options: ResolvedOptions, role: Role): RedisClient {
  const Redis = (ioredis.Redis ?? ioredis.default) as RedisConstructor | undefined;
  const Cluster = ioredis.Cluster as RedisConstructor | undefined;
  if (typeof Redis !== 'function' || typeof Cluster !== 'function') throw new TypeError('ioredis does not export Redis and Cluster');
  const { target } = options;
  if ('client' in target) throw new TypeError('an existing client is duplicated, not opened: use duplicateClient');
  if ('cluster' in target) return new Cluster(target.cluster, clusterBehaviour(options, commonOptions(options, role)));
  const standalone = standaloneBehaviour(options, role);
  return 'url' in target ? new Redis(target.url, standalone) : new Redis({ ...standalone, host: target.host, port: target.port });
}

// Options of the app's client that would change what the adapter sends or when: ours win.
const OVERRIDDEN = { keyPrefix: '', commandTimeout: undefined, autoResendUnfulfilledCommands: true };

/**
 * A connection of the adapter's own with the app's client's connection settings: the app's client
 * itself is never used, so its offline queue, its subscriptions and its lifetime stay the app's.
 */
export function duplicateClient(client: ExistingRedisClient, options: ResolvedOptions, role: Role): RedisClient {
  if (client.isCluster) {
    const own = (client.options as ClusterOptions).redisOptions ?? {};
    const behaviour = clusterBehaviour(options, { ...own, ...OVERRIDDEN, ...commonOptions(options, role) });
    const duplicate = client.duplicate as unknown as (nodes: never[], overrides: ClusterOptions) => RedisClient;
    return duplicate.call(client, [], { ...behaviour, lazyConnect: false, keyPrefix: '' });
  }
  const duplicate = client.duplicate as unknown as (overrides: RedisOptions) => RedisClient;
  return duplicate.call(client, { ...OVERRIDDEN, lazyConnect: false, ...standaloneBehaviour(options, role) });
}
