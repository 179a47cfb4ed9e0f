/**
 * Not an entry point of the package: the one module instance every entry (the app's, the adapters'
 * union and the per-port ones) imports what they have in common from, so that `SwitchyardError`,
 * the event link and the extras are the same objects whichever entry loaded them. tsup.config.ts
 * turns an import of any of these modules from outside this file into an import of `shared.js`,
 * so everything each module exports is exported here.
 */
export * from './adapter/adapter-errors.js';
export * from './adapter/extras.js';
export * from './adapter/front/unknown-error.js';
export * from './adapter/jwt-payload.js';
export * from './adapter/load-peer.js';
export * from './adapter/network-errors.js';
export * from './auth/email.js';
export * from './db/sql.js';
export * from './dual/read-only-query.js';
export * from './errors.js';
export * from './events.js';
export * from './redact.js';
