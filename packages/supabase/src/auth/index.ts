import type { SupabaseClient, User } from '@supabase/supabase-js';
import {
  type AuthPort,
  authPort,
  boundedFetch,
  type KeySetSettings,
  loadPeer,
  type OnEvent,
  REDACTED,
} from '@switchyard/core/adapter/auth';
import { serverClient } from '../shared/client.js';
import { requireSettings } from '../shared/config.js';
import { errors, mapAuthError } from './errors.js';
import { SupabaseAuthDriver } from './supabase-auth.js';
import { AccessTokenVerifier } from './verifier.js';

export { SupabaseAuthDriver } from './supabase-auth.js';
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
  /** The project's signing keys, held by core's shared `KeySetCache` (see `KeySetSettings`); `url` defaults to `<url>/auth/v1/.well-known/jwks.json`. */
  keySet?: KeySetSettings;
  /** Longest one Auth API call may take (connect, answer, body); then it fails `UNAVAILABLE`, retryable. Default 10,000 ms. */
  requestTimeoutMs?: number;
  /** A fetch for supabase-js to use (tests, proxies). Key sets are fetched with the global fetch. */
  fetch?: typeof fetch;
  /**
   * A supabase-js client of your own, made with the service-role key, for the admin API and
   * sign-out (its fetch, retries and headers are then yours; `fetch` and `requestTimeoutMs` do not
   * apply to it). The adapter never closes it.
   */
  client?: SupabaseClient;
  onEvent?: OnEvent;
}

/** Seams for tests. */
export interface SupabaseAuthDependencies {
  /** Clock in ms for the key-set cache. */
  now?: () => number;
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

/** Creates an AuthPort on a Supabase project's Auth (reporting to `onEvent` when given). */
export async function createSupabaseAuth(options: SupabaseAuthOptions, dependencies: SupabaseAuthDependencies = {}): Promise<AuthPort> {
  const url = requireSettings(errors, 'auth', { ...options }, ['anonKey', 'serviceRoleKey']);
  const sdk = await loadPeer(() => import('@supabase/supabase-js'), {
    port: 'auth',
    provider: 'supabase',
    module: '@switchyard/supabase/auth',
    packages: ['@supabase/supabase-js'],
  });
  const http = boundedFetch(options.fetch ?? fetch, options.requestTimeoutMs ?? 10_000);
  const service = options.client ?? serverClient(sdk, url, options.serviceRoleKey, http);
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
      fetch: http,
    });
  const driver = new SupabaseAuthDriver(
    sessionClient,
    service,
    new AccessTokenVerifier({
      issuer: `${url}/auth/v1`,
      jwtSecret: options.jwtSecret,
      jwksUrl: options.keySet?.url,
      jwksMaxAgeMs: seconds(options.keySet?.maxAgeSeconds),
      jwksStaleIfErrorMs: seconds(options.keySet?.staleIfErrorSeconds),
      jwksFetchTimeoutMs: options.keySet?.fetchTimeoutMs,
      jwksCooldownMs: options.jwksCooldownMs,
      onEvent: options.onEvent,
      now: dependencies.now,
    }),
    { redirectTo: options.redirectTo, usersByEmail },
  );
  // The keys and the clients holding them never print; the URL and whether a JWT secret is set may.
  const summary = { url, anonKey: REDACTED, serviceRoleKey: REDACTED, ...(options.jwtSecret ? { jwtSecret: REDACTED } : {}) };
  return authPort(driver, { provider: 'supabase', onEvent: options.onEvent, summary });
}
