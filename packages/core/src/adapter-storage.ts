/**
 * `@switchyard/core/adapter/storage`: what a storage adapter is built with and nothing else (see
 * `adapter-db.ts`).
 */
export * from './adapter/common.js';
export {
  type ResolvedDownloadUrlOptions,
  type ResolvedUploadUrlOptions,
  type StorageDriver,
  storagePort,
} from './adapter/front/storage.js';
export { type DeleteFailure, deleteFailed } from './errors.js';
export * from './storage/body.js';
export { validateDownloadName } from './storage/download-name.js';
export * from './storage/keys.js';
export * from './storage/options.js';
export type * from './storage/port.js';
