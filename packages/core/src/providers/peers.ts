declare const require: (((id: string) => unknown) & { resolve(specifier: string): string }) | undefined;

/**
 * True when `specifier` can be imported from here, false when it cannot, undefined when this
 * runtime cannot tell (no resolver): then the adapter's own CONFIG error names it at first use.
 */
export function isInstalled(specifier: string): boolean | undefined {
  try {
    if (typeof require === 'function' && typeof require.resolve === 'function') {
      require.resolve(specifier);
      return true;
    }
    const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
    if (typeof resolve !== 'function') return undefined;
    resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
