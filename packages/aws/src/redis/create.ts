import { observe, printsAs, redactUrl, SwitchyardError } from '@switchyard/core';
import { loadPeer } from '@switchyard/core/adapter';
import { type IoredisModule, openClient } from './client.js';
import { type RedisPubSubOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { RedisPubSub } from './redis-pubsub.js';

/** Seams for tests. */
export interface RedisPubSubDependencies {
  /** Replaces `import('ioredis')`, for example to simulate it not being installed. */
  importIoredis?: () => Promise<unknown>;
}

function configError(message: string, cause: unknown): SwitchyardError {
  return new SwitchyardError({ code: 'CONFIG', port: 'pubsub', provider: 'aws', operation: 'create', message, cause });
}

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
  const importer = dependencies.importIoredis ?? (() => import('ioredis'));
  let ioredis: IoredisModule;
  try {
    ioredis = (await loadPeer(importer, {
      port: 'pubsub',
      provider: 'aws',
      module: '@switchyard/aws/redis',
      packages: ['ioredis'],
    })) as IoredisModule;
  } catch (error) {
    if (SwitchyardError.isInstance(error)) throw error;
    throw configError('ioredis is installed but failed to load; check that its version is 5.x.', error);
  }
  let port: RedisPubSub;
  try {
    port = new RedisPubSub(resolved, (role) => openClient(ioredis, resolved, role));
  } catch (error) {
    throw configError('Could not create the Redis client from these options; see `cause`.', error);
  }
  // The clients hold the password (in their options and the URL): only where it connects may print.
  const summary = { provider: 'aws', port: 'pubsub', ...where(resolved), keyPrefix: resolved.keyPrefix, tls: Boolean(resolved.tls) };
  printsAs(port, summary);
  if (port.presence) printsAs(port.presence, { ...summary, presence: { ttlSeconds: resolved.presenceTtlSeconds } });
  // The proxy forwards every property, so `openConnections()` and `presence` stay reachable.
  return observe(port, { port: 'pubsub', provider: 'aws', onEvent: options.onEvent, nested: ['presence'] });
}

function where({ target, username }: ResolvedOptions): Record<string, unknown> {
  if ('url' in target) return { url: redactUrl(target.url) };
  if ('cluster' in target) return { cluster: target.cluster.map(({ host, port }) => `${host}:${port}`), username };
  return { host: target.host, port: target.port, username };
}
