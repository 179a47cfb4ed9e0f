/**
 * `@switchyard/core/adapter`: what adapter authors build with, every port's at once. Applications
 * import `@switchyard/core`; this entry has its port-level names and the front layer every adapter
 * goes through, descriptors and settings for `createProviders`, validation, error mapping and
 * events. An adapter of one port can import its narrower entry instead (`./adapter/db`, …), which
 * loads less at cold start; the names are the same objects in both.
 */

// Only `export *` of the per-port entries, no name listed twice: in the CommonJS build a name both
// re-exported through `*` and listed would be set twice, and the second set throws.
export * from './adapter-auth.js';
export * from './adapter-db.js';
export * from './adapter-descriptor.js';
export * from './adapter-pubsub.js';
export * from './adapter-storage.js';
export { isReadOnlyQuery } from './dual/read-only-query.js';
export type {
  CircuitEvent,
  DivergenceEvent,
  DivergenceKind,
  DualCall,
  KeySetEvent,
  RepairEvent,
} from './events.js';
