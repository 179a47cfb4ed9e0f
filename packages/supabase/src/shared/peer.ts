import { type PortName, SwitchyardError } from '@switchyard/core';

export type SupabaseJs = typeof import('@supabase/supabase-js');

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Imports `@supabase/supabase-js`, an optional peer: `@switchyard/supabase/db` never needs it, so
 * an app that uses only the database does not install it. Missing → a CONFIG error saying so.
 */
export async function loadSupabaseJs(port: PortName, subpath: string): Promise<SupabaseJs> {
  try {
    return await import('@supabase/supabase-js');
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    throw new SwitchyardError({
      code: 'CONFIG',
      port,
      provider: 'supabase',
      operation: 'create',
      cause: error,
      message: `@switchyard/supabase/${subpath} needs @supabase/supabase-js: run npm install @supabase/supabase-js`,
    });
  }
}
