import type { SupabaseClient } from '@supabase/supabase-js';

export type SupabaseJs = typeof import('@supabase/supabase-js');

/**
 * A supabase-js client for server-side use: no session persistence, no background token
 * refresh, no URL parsing. Each adapter keeps one client per key it acts with.
 */
export function serverClient(sdk: SupabaseJs, url: string, key: string, fetchImpl?: typeof fetch): SupabaseClient {
  return sdk.createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(fetchImpl ? { global: { fetch: fetchImpl } } : {}),
  });
}

/** The project URL without a trailing slash, or undefined when it is not an http(s) URL. */
export function normalizeProjectUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}
