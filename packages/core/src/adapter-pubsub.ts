/**
 * `@switchyard/core/adapter/pubsub`: what a pub/sub adapter is built with and nothing else (see
 * `adapter-db.ts`).
 */
export * from './adapter/common.js';
export { type PubSubDriver, pubSubPort } from './adapter/front/pubsub.js';
export type * from './pubsub/port.js';
export * from './pubsub/validate.js';
