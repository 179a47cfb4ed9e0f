import type { OnEvent } from '@switchyard/core/adapter/pubsub';
import { adapterErrors } from '@switchyard/core/adapter/pubsub';

/** One node of a Redis Cluster (or an ElastiCache cluster-mode-enabled configuration endpoint). */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * TLS settings for the connection. `true` uses Node's defaults (the public CAs, which ElastiCache
 * in-transit encryption certificates chain to); an object is passed to `tls.connect` as is.
 */
export type RedisTls = boolean | { ca?: string | string[]; servername?: string; rejectUnauthorized?: boolean };

/**
 * An ioredis `Redis` or `Cluster` the app already built. Declared structurally so that no ioredis
 * type appears in the package's declarations (ioredis is an optional peer).
 */
export interface ExistingRedisClient {
  /** `true` on an ioredis `Cluster`. */
  readonly isCluster?: boolean;
  readonly options: object;
  duplicate(...args: never[]): unknown;
}

/** Options of `createRedisPubSub`. Give `url`, or `host`/`port`, or `cluster`, or `client`. */
export interface RedisPubSubOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS (ElastiCache in-transit encryption). */
  url?: string;
  host?: string;
  /** Default 6379. */
  port?: number;
  /** Redis 6 ACL user; ElastiCache RBAC user id. */
  username?: string;
  /** The ACL user's password or the ElastiCache AUTH token. */
  password?: string;
  tls?: RedisTls;
  /** Cluster mode: the seed nodes (the ElastiCache configuration endpoint is enough). */
  cluster?: {
    nodes: RedisNode[];
    /**
     * Use sharded pub/sub (SSUBSCRIBE/SPUBLISH, Redis 7): each channel lives on the shard that owns
     * its slot instead of being broadcast to every node. Pattern subscriptions do not exist there.
     */
    sharded?: boolean;
  };
  /**
   * An ioredis `Redis` or `Cluster` of yours to take the connection settings from (address, TLS,
   * ACL user, Sentinel, cluster nodes, and for a Cluster `shardedSubscribers`). The adapter never
   * sends a command on it nor closes it: it opens its own publisher and subscriber with
   * `client.duplicate()`, overriding only what its delivery guarantees rely on (no offline queue,
   * its reconnect back-off and timeouts, no auto-resubscribe, no `keyPrefix`: use ours). ioredis is
   * then not imported by the adapter. Not together with `url`, `host`, `cluster`, `username`,
   * `password` or `tls`.
   */
  client?: ExistingRedisClient;
  /** Prepended to every Redis channel (and presence key), so apps sharing a server stay apart. Default `switchyard:`. */
  keyPrefix?: string;
  /** Largest message `data` accepted, in bytes of its JSON encoding. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Enables `presence`: a member not refreshed within `ttlSeconds` is no longer listed. */
  presence?: { ttlSeconds: number };
  /**
   * How long a call waits for the connection to be (re)established before failing with UNAVAILABLE
   * (retryable). A connection attempt is abandoned after half of it (a server that accepts and
   * never answers), so a call made once Redis is back sees a fresh attempt succeed. Default 10 s.
   */
  connectTimeoutMs?: number;
  /**
   * The longest pause between reconnect attempts (exponential back-off from 100 ms, with jitter).
   * Default 2 s, and at most a quarter of `connectTimeoutMs`, so a call waiting for the connection
   * sees the next attempt.
   */
  maxReconnectDelayMs?: number;
  /**
   * How long a call waits for Redis to answer a command before failing with UNAVAILABLE (retryable).
   * Checked every half period, so a call fails after between this and 1.5 × this. Default 5 s.
   */
  commandTimeoutMs?: number;
  /** Shown in `CLIENT LIST` as `<name>:pub` and `<name>:sub`. Default `switchyard`. */
  connectionName?: string;
  /** Receives an OperationEvent for every call. */
  onEvent?: OnEvent;
}

/** The options with defaults applied and checked; what the adapter works from. */
export interface ResolvedOptions {
  target: { url: string } | { host: string; port: number } | { cluster: RedisNode[] } | { client: ExistingRedisClient };
  sharded: boolean;
  username: string | undefined;
  password: string | undefined;
  tls: RedisTls | undefined;
  keyPrefix: string;
  maxPayloadBytes: number;
  presenceTtlSeconds: number | undefined;
  connectTimeoutMs: number;
  /** How long one connection attempt (TCP, TLS, AUTH, ready check) may take: half of `connectTimeoutMs`. */
  attemptTimeoutMs: number;
  maxReconnectDelayMs: number;
  commandTimeoutMs: number;
  connectionName: string;
}

/** 1 MiB keeps a message far below Redis's 512 MB bulk limit and below what one output buffer should hold. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
const DEFAULT_PREFIX = 'switchyard:';

const { config: configError } = adapterErrors('pubsub', 'aws');

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw configError(`${name} must be a positive number of milliseconds or bytes.`);
  return value;
}

function resolveTarget(options: RedisPubSubOptions): ResolvedOptions['target'] {
  if (options.client !== undefined) return existingClient(options);
  const given = [options.url !== undefined, options.host !== undefined, options.cluster !== undefined].filter(Boolean).length;
  if (given > 1) throw configError('Give only one of `url`, `host` or `cluster`.');
  if (options.cluster) {
    if (!Array.isArray(options.cluster.nodes) || options.cluster.nodes.length === 0) {
      throw configError('`cluster.nodes` must list at least one {host, port}, for example the configuration endpoint.');
    }
    return { cluster: options.cluster.nodes.map(({ host, port }) => ({ host, port })) };
  }
  if (options.url !== undefined) {
    let protocol: string;
    try {
      protocol = new URL(options.url).protocol;
    } catch {
      throw configError('`url` is not a URL; use redis://host:6379 or rediss://host:6379 for TLS.');
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:') throw configError('`url` must start with redis:// or rediss:// (TLS).');
    return { url: options.url };
  }
  return { host: options.host ?? '127.0.0.1', port: options.port ?? 6379 };
}

function existingClient({ client, url, host, cluster, username, password, tls }: RedisPubSubOptions): { client: ExistingRedisClient } {
  if (typeof client?.duplicate !== 'function' || typeof client.options !== 'object' || client.options === null) {
    throw configError('`client` must be an ioredis Redis or Cluster instance (new Redis(...) or new Cluster(...)).');
  }
  const alsoGiven = Object.entries({ url, host, cluster, username, password, tls })
    .filter(([, value]) => value !== undefined)
    .map(([name]) => `\`${name}\``);
  if (alsoGiven.length > 0) {
    throw configError(`Give either \`client\` or ${alsoGiven.join(', ')}: with \`client\` the connection settings are the client's own.`);
  }
  return { client };
}

function isSharded(options: RedisPubSubOptions): boolean {
  if (options.client?.isCluster) return (options.client.options as { shardedSubscribers?: unknown }).shardedSubscribers === true;
  return options.cluster?.sharded === true;
}

/** Applies defaults and fails with one CONFIG error for options that cannot work. */
export function resolveOptions(options: RedisPubSubOptions): ResolvedOptions {
  const keyPrefix = options.keyPrefix ?? DEFAULT_PREFIX;
  // A channel is `keyPrefix + channel`; keep the whole name printable so it reads well in
  // `PUBSUB CHANNELS` and ACL channel rules (`&switchyard:*`).
  if (typeof keyPrefix !== 'string' || keyPrefix.length > 128 || !/^[\x21-\x7e]*$/.test(keyPrefix)) {
    throw configError('`keyPrefix` must be at most 128 printable ASCII characters without spaces.');
  }
  const connectionName = options.connectionName ?? 'switchyard';
  // CLIENT SETNAME refuses spaces and newlines: https://redis.io/docs/latest/commands/client-setname/
  if (!/^[\x21-\x7e]{1,64}$/.test(connectionName))
    throw configError('`connectionName` must be 1–64 printable ASCII characters without spaces.');
  const ttl = options.presence?.ttlSeconds;
  if (ttl !== undefined && (!Number.isFinite(ttl) || ttl <= 0)) throw configError('`presence.ttlSeconds` must be a positive number.');
  const connectTimeoutMs = positive(options.connectTimeoutMs, 10_000, '`connectTimeoutMs`');
  return {
    target: resolveTarget(options),
    sharded: isSharded(options),
    username: options.username,
    password: options.password,
    tls: options.tls,
    keyPrefix,
    maxPayloadBytes: positive(options.maxPayloadBytes, DEFAULT_MAX_PAYLOAD_BYTES, '`maxPayloadBytes`'),
    presenceTtlSeconds: ttl,
    connectTimeoutMs,
    attemptTimeoutMs: connectTimeoutMs / 2,
    maxReconnectDelayMs: positive(options.maxReconnectDelayMs, Math.min(2_000, connectTimeoutMs / 4), '`maxReconnectDelayMs`'),
    commandTimeoutMs: positive(options.commandTimeoutMs, 5_000, '`commandTimeoutMs`'),
    connectionName,
  };
}
