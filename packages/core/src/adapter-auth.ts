/**
 * `@switchyard/core/adapter/auth`: what an auth adapter is built with and nothing else (see
 * `adapter-db.ts`).
 */
export * from './adapter/common.js';
export { type AuthAdminDriver, type AuthDriver, authPort } from './adapter/front/auth.js';
export { boundedFetch } from './auth/bounded-fetch.js';
export { normalizeEmail } from './auth/email.js';
export { KeySetCache, type KeySetCacheOptions, type KeySetSettings, type PublicJwk } from './auth/key-set-cache.js';
export type * from './auth/port.js';
