export * from './auth/index.js';
export * from './db.js';
export * from './pubsub.js';
export * from './storage/index.js';
