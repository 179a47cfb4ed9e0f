import type { AdapterErrors, PortName } from '@switchyard/core/adapter';
import { normalizeProjectUrl } from './client.js';

/**
 * Checks the settings every Supabase adapter needs, reporting all problems in one `CONFIG` error,
 * together with the adapter's own `problems` with its other settings. The caller's `errors` build
 * it: imported here, core's builders would come through one port's entry into every service's.
 */
export function requireSettings(
  errors: AdapterErrors,
  port: PortName,
  settings: { url: unknown } & Record<string, unknown>,
  required: readonly string[],
  problems: string[] = [],
): string {
  const url = normalizeProjectUrl(settings.url);
  if (!url) problems.push('url must be the project URL, e.g. https://<ref>.supabase.co (SUPABASE_URL)');
  for (const name of required) {
    const value = settings[name];
    if (typeof value !== 'string' || value.length === 0) problems.push(`${name} is required`);
  }
  if (problems.length > 0) {
    throw errors.config(`Invalid Supabase ${port} settings: ${problems.join('; ')}.`);
  }
  return url!;
}
