import { extraKey } from '@switchyard/core/adapter/pubsub';
import type { RedisPresence } from './presence.js';

/**
 * Who is on a channel, offered beside the pub/sub port when `createProviders` opens Redis with
 * `REDIS_PRESENCE_TTL_SECONDS` set: `providers.extra(redisPresence)`.
 */
export const redisPresence = extraKey<RedisPresence>('@switchyard/aws/redis#presence');
