export { storageRequestHandler } from './http-handler.js';
export { LocalStorage, type LocalStorageOptions } from './local-storage.js';

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OnEvent } from '@switchyard/core';
import { observe } from '@switchyard/core';
import { storageRequestHandler } from './http-handler.js';
import { LocalStorage, type LocalStorageOptions } from './local-storage.js';

/** The local StoragePort plus the request handler that serves its signed URLs. */
export type LocalStorageHandle = LocalStorage & {
  /** Handles requests under the baseUrl's path; resolves false for any other request. */
  handler(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
};

/** Creates filesystem storage (reporting to `onEvent` when given). */
export function createLocalStorage(options: LocalStorageOptions & { onEvent?: OnEvent }): LocalStorageHandle {
  const storage = new LocalStorage(options);
  const handle = Object.assign(storage, { handler: storageRequestHandler(storage, options.refusedUploadLinger) });
  return observe(handle, { port: 'storage', provider: 'local', onEvent: options.onEvent });
}
