export { LOCAL_AUTH_ISSUER } from './adapters.js';
export * from './auth/index.js';
export * from './db.js';
export { localAuthMailbox, localStorageHandler, type StorageRequestHandler } from './extras.js';
export * from './pubsub.js';
export * from './storage/index.js';
