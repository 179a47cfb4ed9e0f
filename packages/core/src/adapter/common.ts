/**
 * What every per-port adapter entry (`@switchyard/core/adapter/db`, `/pubsub`, `/auth`, `/storage`)
 * exports besides its port's own names: the error taxonomy and builders, optional-peer loading,
 * printing and redaction, network error codes, events and extras. All of it lives in the one
 * shared module instance every entry imports (see tsup.config.ts).
 */

export {
  type ErrorCode,
  type ErrorContext,
  type PortName,
  SwitchyardError,
  type SwitchyardErrorJson,
  type SwitchyardErrorOptions,
  type UnauthenticatedReason,
  unsupported,
} from '../errors.js';
export {
  asSideCall,
  emit,
  nextDualCallId,
  type OnEvent,
  type OperationEvent,
  type OperationMeta,
  observe,
  runOperation,
  type SwitchyardEvent,
} from '../events.js';
export { printsAs, REDACTED, redactUrl } from '../redact.js';
export { type AdapterErrors, adapterErrors, type ErrorExtra } from './adapter-errors.js';
export { type ExtraKey, Extras, extraKey } from './extras.js';
export type { FrontOptions } from './front/storage.js';
export { unknownError } from './front/unknown-error.js';
export { unverifiedJwtPayload } from './jwt-payload.js';
export { isModuleNotFound, loadPeer, type PeerMeta } from './load-peer.js';
export { isNetworkError, NETWORK_ERROR_CODES, networkErrorCode, STALE_CONNECTION_CODES } from './network-errors.js';
