interface NodeModuleApi {
  createRequire(path: string): { resolve(specifier: string): string };
}

/**
 * True when `specifier` resolves from where the app runs, false when it does not, undefined when
 * this runtime cannot tell (no Node module API). Only a hint: a bundled app has its dependencies
 * inside the bundle, where no resolver sees them, so callers never refuse on this alone.
 */
export function isInstalled(specifier: string): boolean | undefined {
  const nodeProcess = (globalThis as { process?: { cwd(): string; getBuiltinModule?(id: string): unknown } }).process;
  const moduleApi = nodeProcess?.getBuiltinModule?.('node:module') as NodeModuleApi | undefined;
  if (!moduleApi?.createRequire) return undefined;
  try {
    moduleApi.createRequire(`${nodeProcess?.cwd() ?? '/'}/`).resolve(specifier);
    return true;
  } catch (error) {
    // An ESM-only package has no `require` entry, but it is there.
    return (error as { code?: unknown }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}
