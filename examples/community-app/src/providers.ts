import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { OnEvent } from '@switchyard/core';
import { createLocalAuth, createLocalDb, createLocalPubSub, createLocalStorage, DevMailbox } from '@switchyard/local';
import type { Ports } from './router.js';

export type { DevMailbox } from '@switchyard/local';

/** Where the local storage serves its signed URLs on the app's own server. */
export const STORAGE_PATH = '/_storage';

export interface ProviderOptions {
  /** Files, the database and auth state live under here. */
  dataDir: string;
  /** The app's public origin: signed storage URLs and magic links point at it. */
  origin: string;
  /** Default: a mailbox that prints each sign-in email to the console. */
  mailbox?: DevMailbox | undefined;
  onEvent?: OnEvent | undefined;
}

export interface Providers extends Ports {
  /**
   * Serves the storage's signed URLs from the app's own server; resolves false for any other
   * request. A cloud bucket serves its own URLs, so other providers leave this out.
   */
  serveStorage?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** The dev mailbox the local auth "sends" sign-in emails to. */
  mailbox: DevMailbox;
  /** Closes every port, even when one of them fails to. */
  close(): Promise<void>;
}

/**
 * The composition root: the only file that knows which adapters the app runs on. Today every port
 * is the embedded `@switchyard/local` adapter; `createProviders(env)` from core will replace this.
 */
export async function createProviders(options: ProviderOptions): Promise<Providers> {
  const { dataDir, origin, onEvent } = options;
  const mailbox = options.mailbox ?? new DevMailbox({ print: true });
  const storage = createLocalStorage({ directory: join(dataDir, 'storage'), baseUrl: `${origin}${STORAGE_PATH}`, onEvent });
  const pubsub = createLocalPubSub({ onEvent });
  const opened: { close(): Promise<void> }[] = [storage, pubsub];
  const closeAll = async () => {
    await Promise.allSettled(opened.map((port) => port.close()));
  };
  try {
    const db = await createLocalDb({ dataDir: join(dataDir, 'db'), onEvent });
    opened.push(db);
    const auth = await createLocalAuth({
      dataFile: join(dataDir, 'auth.json'),
      redirectTo: `${origin}/auth/callback`,
      mailbox,
      onEvent,
    });
    opened.push(auth);
    return { storage, auth, db, pubsub, mailbox, serveStorage: (req, res) => storage.handler(req, res), close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
