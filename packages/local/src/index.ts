export * from './db.js';
export * from './pubsub.js';
