/**
 * `@switchyard/core/adapter`: what adapter authors build with. Applications import
 * `@switchyard/core`; this entry has its port-level names and the front layer every adapter goes
 * through, descriptors and settings for `createProviders`, validation, error mapping and events.
 */

export { type AdapterErrors, adapterErrors, type ErrorExtra } from './adapter/adapter-errors.js';
export { Extras, extraKey } from './adapter/extras.js';
export { type AuthAdminDriver, type AuthDriver, authPort } from './adapter/front/auth.js';
export { type DbDriver, type DbQuerier, dbPort } from './adapter/front/db.js';
export { type PubSubDriver, pubSubPort } from './adapter/front/pubsub.js';
export {
  type FrontOptions,
  type ResolvedDownloadUrlOptions,
  type ResolvedUploadUrlOptions,
  type StorageDriver,
  storagePort,
} from './adapter/front/storage.js';
export { unknownError } from './adapter/front/unknown-error.js';
export { unverifiedJwtPayload } from './adapter/jwt-payload.js';
export { isModuleNotFound, loadPeer, type PeerMeta } from './adapter/load-peer.js';
export { isNetworkError, NETWORK_ERROR_CODES, networkErrorCode, STALE_CONNECTION_CODES } from './adapter/network-errors.js';
// Settings, descriptors and configError: the same names as `@switchyard/core/adapter/descriptor`.
export * from './adapter-descriptor.js';
export { boundedFetch } from './auth/bounded-fetch.js';
export { KeySetCache, type KeySetCacheOptions, type KeySetSettings, type PublicJwk } from './auth/key-set-cache.js';
export * from './db/claims.js';
export * from './db/rows.js';
export * from './db/sqlstate.js';
export * from './db/supabase-compat.js';
export { isReadOnlyQuery } from './dual/read-only-query.js';
export { deleteFailed, type ErrorContext, unsupported } from './errors.js';
export { asSideCall, emit, nextDualCallId, type OperationMeta, observe, runOperation } from './events.js';
// The port-level names applications also get from `@switchyard/core`; not the dual-run composites
// nor createProviders, so an adapter's cold start compiles only what it runs (bench row 6).
export * from './port-api.js';
export * from './pubsub/validate.js';
export { printsAs } from './redact.js';
export * from './storage/body.js';
export { validateDownloadName } from './storage/download-name.js';
export * from './storage/keys.js';
export * from './storage/options.js';
