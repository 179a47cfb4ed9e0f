import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OnEvent } from '@switchyard/core';
import type { DevMailbox } from '../../src/providers.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { seedLocalDatabase } from './pglite-template.js';

export interface TestApp {
  server: RunningServer;
  url: string;
  mailbox: DevMailbox;
  dataDir: string;
  /** What the server logged as errors; a test ends by checking it is empty. */
  errors: { message: string; error: unknown }[];
  close(): Promise<void>;
}

/**
 * The real server on a free port in a temporary data folder. With `env` {} every port is embedded
 * (whatever SWITCHYARD_* variables the shell has); the PGlite database starts as a copy of the
 * migrated template unless `env` moves the database elsewhere.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { onEvent?: OnEvent } = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'community-app-'));
  if (!env.SWITCHYARD_DB) await seedLocalDatabase(dataDir);
  const errors: TestApp['errors'] = [];
  const server = await startServer({ port: 0, dataDir, env, ...options, log: (message, error) => errors.push({ message, error }) });
  if (!server.mailbox) throw new Error('sign-in should run on the embedded auth, which exposes its dev mailbox');
  return {
    server,
    url: server.url,
    mailbox: server.mailbox,
    dataDir,
    errors,
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
