/**
 * The port-level names both entry points export: the four ports' types, the error taxonomy, `sql`
 * and the event types. Applications get them from `@switchyard/core`, adapters from
 * `@switchyard/core/adapter`, which must not load the dual-run composites.
 */
export type { ExtraKey } from './adapter/extras.js';
export { normalizeEmail } from './auth/email.js';
export type * from './auth/port.js';
export type * from './db/port.js';
export { type CompiledQuery, compile, type SqlFragment, type SqlIdentifier, sql } from './db/sql.js';
export {
  type DeleteFailure,
  type ErrorCode,
  type PortName,
  SwitchyardError,
  type SwitchyardErrorJson,
  type SwitchyardErrorOptions,
  type UnauthenticatedReason,
} from './errors.js';
export type {
  CircuitEvent,
  DivergenceEvent,
  DivergenceKind,
  DualCall,
  KeySetEvent,
  OnEvent,
  OperationEvent,
  RepairEvent,
  SwitchyardEvent,
} from './events.js';
export type { ConfigProblem, ReadMode } from './providers/config.js';
export type { Env } from './providers/variables.js';
export type * from './pubsub/port.js';
export { REDACTED, redactUrl } from './redact.js';
export { MAX_KEY_BYTES } from './storage/keys.js';
export type * from './storage/port.js';
