import type { IncomingMessage, ServerResponse } from 'node:http';
import { createProviders as createFromEnv, type OnEvent } from '@switchyard/core';
import { localAuthMailbox, localStorageHandler } from '@switchyard/local';
import type { Ports } from './router.js';

/** Where the embedded storage serves its signed URLs on the app's own server. */
export const STORAGE_PATH = '/_storage';

/** A sign-in email as the embedded auth's dev mailbox keeps it. */
export interface DevMail {
  to: string;
  code: string;
  link: string;
}

/** The dev mailbox of the embedded auth: it keeps sign-in emails instead of sending them. */
export interface DevMailbox {
  last(to: string): DevMail | undefined;
  onMessage(listener: (mail: DevMail) => void): () => void;
}

export interface ProviderOptions {
  /** Flags and provider settings; see "Migrating with Switchyard" in the root README. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the embedded providers keep files, the database and auth state (unless SWITCHYARD_LOCAL_DIR says otherwise). */
  dataDir: string;
  /** The app's public origin: the embedded storage signs URLs that point at it. */
  origin: string;
  onEvent?: OnEvent | undefined;
}

export interface Providers extends Ports {
  /**
   * Serves the embedded storage's signed URLs from the app's own server; absent when storage runs
   * elsewhere (a bucket serves its own URLs).
   */
  serveStorage?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Present when sign-in runs on the embedded auth, whose emails never leave the machine. */
  mailbox?: DevMailbox;
  /** Closes every port, even when one of them fails to. */
  close(): Promise<void>;
}

/**
 * The composition root: the only code that knows providers exist. Which adapter backs each port
 * comes from the environment (SWITCHYARD_STORAGE=aws, SWITCHYARD_AUTH=supabase, …); with nothing
 * set, every port runs on the embedded `@switchyard/local` adapters under `dataDir`.
 */
export async function openProviders(options: ProviderOptions): Promise<Providers> {
  const env = {
    SWITCHYARD_LOCAL_DIR: options.dataDir,
    SWITCHYARD_LOCAL_BASE_URL: `${options.origin}${STORAGE_PATH}`,
    ...(options.env ?? process.env),
  };
  const providers = await createFromEnv({ env, onEvent: options.onEvent });
  const { storage, auth, db, pubsub } = providers;
  // Offered only by the embedded adapters: on a bucket or a hosted auth these are undefined.
  const handler = providers.extra(localStorageHandler);
  const serveStorage: Providers['serveStorage'] = handler ? (req, res) => handler(req, res) : undefined;
  const mailbox: DevMailbox | undefined = providers.extra(localAuthMailbox);
  return {
    storage,
    auth,
    db,
    pubsub,
    ...(serveStorage ? { serveStorage } : {}),
    ...(mailbox ? { mailbox } : {}),
    close: () => providers.close(),
  };
}
