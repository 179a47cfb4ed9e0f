import { describeAdapter, type EnvReader, setting } from '@switchyard/core/adapter/descriptor';
import type { PubSubPort } from '@switchyard/core/adapter/pubsub';
import { redisPresence } from '../redis/extras.js';
import type { RedisNode, RedisPubSubOptions } from '../redis/options.js';
import { custom, defined, milliseconds, optional, whole } from './read.js';

const REDIS_URL_EXPECTED = 'redis://host:6379, or rediss://… for TLS (ElastiCache in-transit encryption)';
const NODES_EXPECTED = 'comma-separated host:port of seed nodes, e.g. my-cache.abc123.clustercfg.euw1.cache.amazonaws.com:6379';

/** `host:port,host:port`; undefined and reported when an entry is not one. */
function parseNodes(env: EnvReader): RedisNode[] | undefined {
  const raw = env.optional('REDIS_CLUSTER_NODES');
  if (raw === undefined) return undefined;
  const nodes = raw.split(',').map((entry) => /^([^\s:,]+):(\d{1,5})$/.exec(entry.trim()));
  if (nodes.some((match) => !match || Number(match[2]) < 1 || Number(match[2]) > 65535)) {
    env.report('REDIS_CLUSTER_NODES', 'has an entry that is not host:port', NODES_EXPECTED);
    return undefined;
  }
  return nodes.map((match) => ({ host: match?.[1] as string, port: Number(match?.[2]) }));
}

const settings = {
  // The URL may carry the password (or ElastiCache AUTH token), hence secret.
  url: custom(
    {
      variable: 'REDIS_URL',
      description: 'The Redis server (ElastiCache, Valkey): redis://[user:password@]host:port[/db], rediss:// for TLS.',
      example: 'rediss://cache.example.com:6379',
      values: 'redis://… or rediss://…',
      required: 'unless REDIS_CLUSTER_NODES is set',
      secret: true,
    },
    (env) => env.url('REDIS_URL', ['redis:', 'rediss:'], false, REDIS_URL_EXPECTED),
  ),
  clusterNodes: custom(
    {
      variable: 'REDIS_CLUSTER_NODES',
      description: 'Cluster mode instead of REDIS_URL: the seed nodes (the ElastiCache configuration endpoint is enough).',
      example: 'my-cache.abc123.clustercfg.euw1.cache.amazonaws.com:6379',
      values: 'host:port[,host:port…]',
    },
    parseNodes,
  ),
  sharded: setting.boolean('REDIS_CLUSTER_SHARDED', false, {
    description:
      'Sharded pub/sub (SSUBSCRIBE/SPUBLISH, Redis 7) in cluster mode: each channel lives on one shard; no pattern subscriptions.',
    example: 'true',
  }),
  username: optional('REDIS_USERNAME', {
    description: 'With REDIS_CLUSTER_NODES: the ACL user (ElastiCache RBAC user id); with REDIS_URL put it in the URL.',
    example: 'app',
  }),
  password: optional('REDIS_PASSWORD', {
    description: 'With REDIS_CLUSTER_NODES: the ACL password or ElastiCache AUTH token; with REDIS_URL put it in the URL.',
    example: 'hunter2hunter2hunter2',
    secret: true,
  }),
  tls: setting.boolean('REDIS_TLS', false, {
    description: 'With REDIS_CLUSTER_NODES: TLS to every node (ElastiCache in-transit encryption); with REDIS_URL use rediss://.',
    example: 'true',
  }),
  keyPrefix: optional('REDIS_KEY_PREFIX', {
    description: 'Prepended to every Redis channel and presence key, so apps sharing a server stay apart.',
    example: 'staging:',
    default: 'switchyard:',
  }),
  connectTimeoutMs: milliseconds('REDIS_CONNECT_TIMEOUT_MS', {
    description: 'How long a call waits for the connection to be (re)established before UNAVAILABLE.',
    example: '10000',
    default: '10000',
  }),
  commandTimeoutMs: milliseconds('REDIS_COMMAND_TIMEOUT_MS', {
    description: 'How long a call waits for Redis to answer a command before UNAVAILABLE.',
    example: '5000',
    default: '5000',
  }),
  presenceTtlSeconds: whole(
    'REDIS_PRESENCE_TTL_SECONDS',
    [1, 86_400],
    'seconds a presence member stays listed without a refresh, e.g. 30',
    {
      description: 'Enables presence: a member not refreshed within this many seconds is no longer listed.',
      example: '30',
      default: 'presence off',
    },
  ),
  maxPayloadBytes: whole('REDIS_MAX_PAYLOAD_BYTES', [1, 512 * 1024 * 1024], 'bytes of a message’s JSON data, e.g. 1048576', {
    description: 'Largest message data accepted, in bytes of its JSON encoding.',
    example: '1048576',
    default: '1048576 (1 MiB)',
  }),
};

export type RedisAdapterOptions = Omit<RedisPubSubOptions, 'onEvent'>;

/** `SWITCHYARD_PUBSUB=aws`: Redis / ElastiCache pub/sub, standalone or cluster. */
export const redisAdapter = describeAdapter({
  name: 'aws',
  port: 'pubsub',
  module: '@switchyard/aws/redis',
  description: 'Redis or ElastiCache pub/sub (standalone or cluster mode), with optional presence.',
  settings,
  options(v, env): RedisAdapterOptions {
    const clusterGiven = env.optional('REDIS_CLUSTER_NODES') !== undefined;
    const common = defined({
      keyPrefix: v.keyPrefix,
      connectTimeoutMs: v.connectTimeoutMs,
      commandTimeoutMs: v.commandTimeoutMs,
      maxPayloadBytes: v.maxPayloadBytes,
      presence: v.presenceTtlSeconds === undefined ? undefined : { ttlSeconds: v.presenceTtlSeconds },
    });
    if (!clusterGiven) {
      // Unset REDIS_URL is reported here, with the message it has always had.
      if (env.optional('REDIS_URL') === undefined) env.required('REDIS_URL', REDIS_URL_EXPECTED);
      for (const [variable, given] of [
        ['REDIS_CLUSTER_SHARDED', v.sharded],
        ['REDIS_USERNAME', v.username !== undefined],
        ['REDIS_PASSWORD', v.password !== undefined],
        ['REDIS_TLS', v.tls],
      ] as const) {
        if (given)
          env.report(
            variable,
            'is set without REDIS_CLUSTER_NODES',
            'REDIS_CLUSTER_NODES, or the user, password and rediss:// inside REDIS_URL',
          );
      }
      return { url: v.url, ...common };
    }
    if (env.optional('REDIS_URL') !== undefined) {
      env.report('REDIS_URL', 'is set while REDIS_CLUSTER_NODES is', 'one of REDIS_URL (one server) or REDIS_CLUSTER_NODES (cluster mode)');
    }
    return defined({
      cluster: v.clusterNodes ? { nodes: v.clusterNodes, ...(v.sharded ? { sharded: true } : {}) } : undefined,
      username: v.username,
      password: v.password,
      tls: v.tls ? true : undefined,
      ...common,
    });
  },
  peers: () => ['ioredis'],
  async create(options, context): Promise<PubSubPort> {
    const { createRedisPubSub } = await import('../redis/index.js');
    const port = await createRedisPubSub({ ...options, onEvent: context.onEvent });
    if (port.presence) context.provide(redisPresence, port.presence);
    return port;
  },
});
