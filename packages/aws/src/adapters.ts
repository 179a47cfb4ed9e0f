/**
 * `@switchyard/aws/adapters`: how `createProviders` configures and opens the AWS adapters from the
 * environment (`SWITCHYARD_<PORT>=aws`). Light on purpose: no SDK and no adapter code is loaded
 * until a descriptor's `create` runs, so reading every setting costs nothing.
 */
import { cognitoAdapter } from './descriptors/cognito.js';
import { rdsAdapter } from './descriptors/rds.js';
import { redisAdapter } from './descriptors/redis.js';
import { s3Adapter } from './descriptors/s3.js';

export type { CognitoAdapterOptions } from './descriptors/cognito.js';
export type { RdsAdapterOptions } from './descriptors/rds.js';
export type { RedisAdapterOptions } from './descriptors/redis.js';
export type { S3AdapterOptions } from './descriptors/s3.js';
export { redisPresence } from './redis/extras.js';
export { cognitoAdapter, rdsAdapter, redisAdapter, s3Adapter };

/** One descriptor per port, as `@switchyard/core` looks them up. */
export const adapters = { storage: s3Adapter, auth: cognitoAdapter, db: rdsAdapter, pubsub: redisAdapter };
