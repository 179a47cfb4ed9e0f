import type { User } from '@supabase/supabase-js';
import { type AuthPort, type OnEvent, observe } from '@switchyard/core';
import { serverClient } from '../shared/client.js';
import { requireSettings } from '../shared/config.js';
import { loadSupabaseJs } from '../shared/peer.js';
import { mapAuthError } from './errors.js';
import { SupabaseAuth } from './supabase-auth.js';
import { AccessTokenVerifier } from './verifier.js';

export { SupabaseAuth } from './supabase-auth.js';
export { AccessTokenVerifier, JWKS_REFETCH_COOLDOWN_MS } from './verifier.js';

export interface SupabaseAuthOptions {
  /** The project URL, `https://<ref>.supabase.co` (SUPABASE_URL). */
  url: string;
  /** The anon (publishable) key (SUPABASE_ANON_KEY): sign-in, verify and refresh go out with it. */
  anonKey: string;
  /** The service-role key (SUPABASE_SERVICE_ROLE_KEY): admin API and sign-out. Server-side only. */
  serviceRoleKey: string;
  /** The legacy JWT secret (SUPABASE_JWT_SECRET), for projects whose tokens are still HS256. */
  jwtSecret?: string;
  /** Default magic-link landing page; must be in the project's redirect allow-list. */
  redirectTo?: string;
  /** Least time between two fetches of the key set on an unknown `kid`; default 60,000 ms. */
  jwksCooldownMs?: number;
  /** A fetch for supabase-js to use (tests, proxies). Key sets are fetched with the global fetch. */
  fetch?: typeof fetch;
  onEvent?: OnEvent;
}

/** Creates an AuthPort on a Supabase project's Auth (reporting to `onEvent` when given). */
export async function createSupabaseAuth(options: SupabaseAuthOptions): Promise<AuthPort> {
  const url = requireSettings('auth', { ...options }, ['anonKey', 'serviceRoleKey']);
  const sdk = await loadSupabaseJs('auth', 'auth');
  const service = serverClient(sdk, url, options.serviceRoleKey, options.fetch);
  const http = options.fetch ?? fetch;
  // auth-js has no "find by email"; GoTrue's GET /admin/users takes a `filter` (a substring match).
  const usersByEmail = async (email: string): Promise<User[]> => {
    let response: Response;
    try {
      response = await http(`${url}/auth/v1/admin/users?filter=${encodeURIComponent(email)}&per_page=1000`, {
        headers: { apikey: options.serviceRoleKey, authorization: `Bearer ${options.serviceRoleKey}` },
      });
    } catch (error) {
      throw mapAuthError('admin.getUserByEmail', error);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error_code?: string; code?: string };
      throw mapAuthError('admin.getUserByEmail', { name: 'AuthApiError', status: response.status, code: body.error_code ?? body.code });
    }
    return ((await response.json()) as { users: User[] }).users;
  };
  const sessionClient = () =>
    new sdk.AuthClient({
      url: `${url}/auth/v1`,
      headers: { apikey: options.anonKey, authorization: `Bearer ${options.anonKey}` },
      persistSession: false,
      autoRefreshToken: false,
      detectSessionInUrl: false,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  const auth = new SupabaseAuth(
    sessionClient,
    service,
    new AccessTokenVerifier({ issuer: `${url}/auth/v1`, jwtSecret: options.jwtSecret, jwksCooldownMs: options.jwksCooldownMs }),
    { redirectTo: options.redirectTo, usersByEmail },
  );
  return observe(auth, { port: 'auth', provider: 'supabase', onEvent: options.onEvent, nested: ['admin'] });
}
