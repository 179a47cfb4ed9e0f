/**
 * `@switchyard/aws/redis`: PubSubPort on Redis / ElastiCache (ioredis, an optional peer:
 * `npm install @switchyard/aws ioredis`).
 */
export { createRedisPubSub, type RedisPubSub, type RedisPubSubDependencies } from './create.js';
export { redisPresence } from './extras.js';
export type { ExistingRedisClient, RedisNode, RedisPubSubOptions, RedisTls } from './options.js';
export type { PresenceHandle, PresenceMember, RedisPresence } from './presence.js';
export type { RedisPubSubCapabilities } from './redis-driver.js';
