import { SwitchyardError } from '../errors.js';
import type { OnEvent } from '../events.js';
import type { AdapterSpec } from './config.js';

/**
 * The shape every adapter factory shares (see each package's `create…` function). Core types them
 * through this alone, so it never needs the adapter packages to compile or to run.
 */
export type AdapterFactory<Port> = (options: Record<string, unknown> & { onEvent?: OnEvent | undefined }) => Port | Promise<Port>;

/** What to install besides the adapter package itself, per subpath (its optional peer clients). */
const PEERS: Readonly<Record<string, readonly string[]>> = {
  '@switchyard/aws/s3': ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner', '@aws-sdk/s3-presigned-post', '@aws-sdk/lib-storage'],
  '@switchyard/aws/cognito': ['@aws-sdk/client-cognito-identity-provider', 'aws-jwt-verify'],
  '@switchyard/aws/rds': [],
  '@switchyard/aws/redis': ['ioredis'],
  // Storage speaks storage-api's HTTP API with fetch: no client to install.
  '@switchyard/supabase/storage': [],
  '@switchyard/supabase/auth': ['@supabase/supabase-js'],
  '@switchyard/supabase/db': [],
  '@switchyard/supabase/realtime': ['@supabase/supabase-js'],
};

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

function packageOf(module: string): string {
  const [scope, name] = module.split('/');
  return module.startsWith('@') ? `${scope}/${name}` : (scope ?? module);
}

function configError(spec: AdapterSpec, message: string, cause: unknown): SwitchyardError {
  return new SwitchyardError({ code: 'CONFIG', port: spec.port, provider: spec.provider, operation: 'createProviders', message, cause });
}

// A variable specifier keeps bundlers from pulling every adapter into the app: only the
// providers the environment selects are ever loaded.
const importModule = (specifier: string): Promise<Record<string, unknown>> => import(specifier);

/** Imports the adapter package of `spec` and returns its factory; CONFIG when it is not installed. */
export async function loadAdapterFactory<Port>(spec: AdapterSpec): Promise<AdapterFactory<Port>> {
  let exports: Record<string, unknown>;
  try {
    exports = await importModule(spec.module);
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    const install = [packageOf(spec.module), ...(PEERS[spec.module] ?? [])].join(' ');
    throw configError(
      spec,
      `SWITCHYARD_${spec.port.toUpperCase()} selects ${spec.provider}, which needs ${spec.module}: run npm install ${install}`,
      error,
    );
  }
  const factory = exports[spec.factory];
  if (typeof factory !== 'function') {
    throw configError(
      spec,
      `${spec.module} does not export ${spec.factory}; update ${packageOf(spec.module)} to a version that matches @switchyard/core`,
      undefined,
    );
  }
  return factory as AdapterFactory<Port>;
}

/** Loads and opens one adapter. */
export async function openAdapter<Port>(spec: AdapterSpec, onEvent: OnEvent | undefined): Promise<Port> {
  const factory = await loadAdapterFactory<Port>(spec);
  return factory({ ...spec.options, ...(onEvent ? { onEvent } : {}) });
}
