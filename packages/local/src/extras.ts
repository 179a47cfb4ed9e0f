import type { IncomingMessage, ServerResponse } from 'node:http';
import { extraKey } from '@switchyard/core/adapter';
import type { DevMailbox } from './auth/mailbox.js';

/** Serves the local storage's signed and public URLs; resolves false for a request outside its path. */
export type StorageRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** The request handler of the local storage that `createProviders` opened: mount it on the app's server. */
export const localStorageHandler = extraKey<StorageRequestHandler>('@switchyard/local:storage-handler');

/** The dev mailbox of the local auth that `createProviders` opened: it keeps the sign-in emails. */
export const localAuthMailbox = extraKey<DevMailbox>('@switchyard/local:auth-mailbox');
