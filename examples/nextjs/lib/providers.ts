import { join } from 'node:path';
import type { Providers } from '@switchyard/core';
import { localAuthMailbox } from '@switchyard/local';
import { migrate } from 'community-app/shared';

/**
 * createProviders imports the adapter package the environment selects by name, at run time. A
 * bundled copy of core cannot do that ("expression is too dynamic"), and Turbopack bundles
 * workspace-linked packages even when serverExternalPackages lists them, so core is loaded by
 * Node itself from node_modules. Errors still match across copies: SwitchyardError.isInstance
 * checks a Symbol.for marker.
 */
async function loadCreateProviders(): Promise<typeof import('@switchyard/core')['createProviders']> {
  const core: typeof import('@switchyard/core') = await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ '@switchyard/core');
  return core.createProviders;
}

const KEY = Symbol.for('switchyard.examples.nextjs.providers');
type Holder = { [KEY]?: Promise<Providers> };

/** Where the app is served; the embedded storage signs URLs that point back at it (`/storage`). */
export function appOrigin(): string {
  return process.env.APP_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

async function open(): Promise<Providers> {
  const env = {
    SWITCHYARD_LOCAL_DIR: join(process.cwd(), '.data'),
    SWITCHYARD_LOCAL_BASE_URL: `${appOrigin()}/storage`,
    ...process.env,
  };
  delete (env as Record<string, string | undefined>).APP_ORIGIN;
  const createProviders = await loadCreateProviders();
  const providers = await createProviders({ env });
  try {
    await migrate(providers.db);
  } catch (error) {
    await providers.close();
    throw error;
  }
  // The embedded auth keeps sign-in emails in a dev mailbox instead of sending them: print them.
  providers.extra(localAuthMailbox)?.onMessage((mail) => console.log(`Sign-in code for ${mail.to}: ${mail.code}`));
  return providers;
}

/**
 * The ports, one set per server process. `next dev` evaluates a changed module again on every
 * edit: a module-level variable would open a new pool (or a second PGlite on the same folder) each
 * time, so the instance lives on `globalThis`, which survives hot reload. A failed opening is
 * forgotten so the next request tries again.
 */
export function getProviders(): Promise<Providers> {
  const holder = globalThis as Holder;
  holder[KEY] ??= open().catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}
