import type { OnEvent, StoragePort } from '@switchyard/core/adapter';
import { storagePort } from '@switchyard/core/adapter';
import type { StorageRequestHandler } from '../extras.js';
import { storageRequestHandler } from './http-handler.js';
import { LocalStorage, type LocalStorageOptions } from './local-storage.js';

export type { LocalStorageOptions } from './local-storage.js';

/** The local StoragePort plus the request handler that serves its signed URLs. */
export type LocalStorageHandle = StoragePort & {
  /** Handles requests under the baseUrl's path; resolves false for any other request. */
  handler: StorageRequestHandler;
};

/**
 * Opens filesystem storage (reporting to `onEvent` when given). It prints as its directory, base
 * URL and `publicRead`, never as the signing secret.
 */
export async function createLocalStorage(options: LocalStorageOptions & { onEvent?: OnEvent | undefined }): Promise<LocalStorageHandle> {
  const driver = new LocalStorage(options);
  const summary = { directory: driver.directory, baseUrl: driver.baseUrl, publicRead: driver.capabilities.publicUrls };
  const port = storagePort(driver, { provider: 'local', onEvent: options.onEvent, summary });
  return Object.assign(port, { handler: storageRequestHandler(driver, options.refusedUploadLinger) });
}
