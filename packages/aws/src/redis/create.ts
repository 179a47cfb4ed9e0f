import {
  adapterErrors,
  loadPeer,
  observe,
  type PubSubPort,
  printsAs,
  pubSubPort,
  redactUrl,
  SwitchyardError,
} from '@switchyard/core/adapter/pubsub';
import { duplicateClient, type IoredisModule, openClient, type RedisClient, type Role } from './client.js';
import { type RedisPubSubOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { RedisPresence } from './presence.js';
import { RedisDriver, type RedisPubSubCapabilities } from './redis-driver.js';

/** Seams for tests. */
export interface RedisPubSubDependencies {
  /** Replaces `import('ioredis')`, for example to simulate it not being installed. */
  importIoredis?: () => Promise<unknown>;
}

/** The PubSubPort on Redis, with what Redis offers beside the port. */
export type RedisPubSub = PubSubPort & {
  readonly capabilities: RedisPubSubCapabilities;
  /** Who is on a channel; present when the adapter was created with `presence: { ttlSeconds }`. */
  readonly presence: RedisPresence | undefined;
  /** Connections (publisher, subscriber) not yet fully closed; 0 after `close()`. */
  openConnections(): number;
  /** Messages that arrived on a subscribed channel but were not Switchyard envelopes, and were dropped. */
  droppedMessages(): number;
};

const errors = adapterErrors('pubsub', 'aws');

/**
 * Creates a PubSubPort on Redis (ElastiCache). ioredis is an optional peer dependency, loaded
 * here, so an app that does not use this subpath never loads it; without it this fails with a
 * CONFIG error saying `npm install ioredis`. Connecting happens in the background: an unreachable
 * server shows up as UNAVAILABLE on the first call, not here.
 *
 * @example
 * const pubsub = await createRedisPubSub({ url: process.env.REDIS_URL });
 * await pubsub.subscribe('orders', (message) => console.log(message.data));
 * await pubsub.publish('orders', { id: 42 });
 */
export async function createRedisPubSub(
  options: RedisPubSubOptions = {},
  dependencies: RedisPubSubDependencies = {},
): Promise<RedisPubSub> {
  const resolved = resolveOptions(options);
  let driver: RedisDriver;
  const { target } = resolved;
  const open = 'client' in target ? (role: Role) => duplicateClient(target.client, resolved, role) : await opener(resolved, dependencies);
  try {
    driver = new RedisDriver(resolved, open);
  } catch (error) {
    throw errors.config('Could not create the Redis client from these options; see `cause`.', { cause: error });
  }
  // The clients hold the password (in their options and the URL): only where it connects may print.
  const summary = { ...where(resolved), keyPrefix: resolved.keyPrefix, tls: Boolean(resolved.tls) };
  const port = pubSubPort(driver, { provider: 'aws', onEvent: options.onEvent, summary });
  const { presence } = driver;
  if (presence) printsAs(presence, { provider: 'aws', port: 'pubsub', ...summary, presence: { ttlSeconds: resolved.presenceTtlSeconds } });
  const meta = { port: 'pubsub' as const, provider: 'aws', onEvent: options.onEvent };
  // The front port's capabilities are the driver's, `presence` included.
  return Object.assign(port as PubSubPort & { readonly capabilities: RedisPubSubCapabilities }, {
    presence: presence && observe(presence, meta, 'presence.'),
    openConnections: () => driver.openConnections(),
    droppedMessages: () => driver.droppedMessages(),
  });
}

/** Loads ioredis (an optional peer) only when the adapter builds its clients itself. */
async function opener(resolved: ResolvedOptions, dependencies: RedisPubSubDependencies): Promise<(role: Role) => RedisClient> {
  const importer = dependencies.importIoredis ?? (() => import('ioredis'));
  let ioredis: IoredisModule;
  try {
    const meta = { port: 'pubsub' as const, provider: 'aws', module: '@switchyard/aws/redis', packages: ['ioredis'] };
    ioredis = (await loadPeer(importer, meta)) as IoredisModule;
  } catch (error) {
    if (SwitchyardError.isInstance(error)) throw error;
    throw errors.config('ioredis is installed but failed to load; check that its version is 5.x.', { cause: error });
  }
  return (role) => openClient(ioredis, resolved, role);
}

function where({ target, username }: ResolvedOptions): Record<string, unknown> {
  if ('client' in target) {
    const { host, port } = target.client.options as { host?: string; port?: number };
    return { client: target.client.isCluster ? 'your ioredis Cluster' : 'your ioredis Redis', host, port };
  }
  if ('url' in target) return { url: redactUrl(target.url) };
  if ('cluster' in target) return { cluster: target.cluster.map(({ host, port }) => `${host}:${port}`), username };
  return { host: target.host, port: target.port, username };
}
