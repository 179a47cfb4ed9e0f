import { type PortName, SwitchyardError } from '../errors.js';

/** True when an import failed because the module is not installed (not because it threw). */
export function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

export interface PeerMeta {
  port: PortName;
  provider: string;
  /** The adapter's subpath, e.g. `@switchyard/aws/s3`, for the message. */
  module: string;
  /** What to install. */
  packages: readonly string[];
}

/**
 * Imports an optional peer dependency (an SDK client), turning "not installed" into a CONFIG error
 * that names the packages to install. Apps install only the clients of the adapters they use.
 */
export async function loadPeer<T>(importer: () => Promise<T>, meta: PeerMeta): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    throw new SwitchyardError({
      code: 'CONFIG',
      port: meta.port,
      provider: meta.provider,
      operation: 'create',
      cause: error,
      message: `${meta.module} needs ${meta.packages.join(', ')}: run npm install ${meta.packages.join(' ')}`,
    });
  }
}
