import { SwitchyardError } from '@switchyard/core';

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Imports an optional peer dependency, turning "not installed" into a CONFIG error that names the
 * packages to install. The SDK clients are optional peers (as in Powertools for AWS Lambda), so an
 * app only installs the clients of the subpaths it uses.
 */
export async function loadPeer<T>(
  importer: () => Promise<T>,
  meta: { port: 'storage' | 'auth' | 'db' | 'pubsub'; subpath: string; packages: readonly string[] },
): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    throw new SwitchyardError({
      code: 'CONFIG',
      port: meta.port,
      provider: 'aws',
      operation: 'create',
      cause: error,
      message: `@switchyard/aws/${meta.subpath} needs ${meta.packages.join(', ')}: run npm install ${meta.packages.join(' ')}`,
    });
  }
}
