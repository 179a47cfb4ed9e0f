import type { AuthPort } from '@switchyard/core/adapter/auth';
import { describeAdapter, setting } from '@switchyard/core/adapter/descriptor';
import type { SupabaseAuthOptions } from '../auth/index.js';
import { defined, HTTP, milliseconds, projectUrl, requiredText, serviceRoleKey, wholeNumber } from './settings.js';

/** `iss` of the project's access tokens. */
export function supabaseIssuer(url: string): string {
  return `${url.replace(/\/+$/, '')}/auth/v1`;
}

/** `SWITCHYARD_AUTH=supabase`: Supabase Auth (GoTrue) through supabase-js, tokens verified locally. */
export const supabaseAuth = describeAdapter({
  name: 'supabase',
  port: 'auth',
  module: '@switchyard/supabase/auth',
  description: 'Supabase Auth: email code or magic link, admin API, access tokens verified locally against the JWKS.',
  settings: {
    url: projectUrl,
    anonKey: requiredText('SUPABASE_ANON_KEY', 'the anon key from the project API settings', {
      description: 'the anon (publishable) key from the project API settings: sign-in, verify and refresh go out with it',
      example: 'eyJhbGciOiJIUzI1NiIs… or sb_publishable_…',
      secret: true,
    }),
    serviceRoleKey,
    jwtSecret: setting.optional('SUPABASE_JWT_SECRET', {
      description: 'the legacy JWT secret, for projects whose access tokens are still HS256',
      example: 'super-secret-jwt-token-with-at-least-32-characters',
      secret: true,
      default: 'HS256 tokens are refused',
    }),
    redirectTo: setting.url('SUPABASE_AUTH_REDIRECT_TO', HTTP, {
      description: "the default magic-link landing page; it must be in the project's redirect allow-list",
      example: 'https://app.example.com/auth/callback',
      default: "the project's Site URL",
    }),
    requestTimeoutMs: milliseconds('SUPABASE_AUTH_REQUEST_TIMEOUT_MS', {
      description: 'milliseconds one Auth API call may take (connect, answer, body)',
      example: '10000',
      default: '10000',
    }),
    jwksUrl: setting.url('SUPABASE_AUTH_JWKS_URL', HTTP, {
      description: 'where the project publishes its signing keys',
      example: 'https://abcdefgh.supabase.co/auth/v1/.well-known/jwks.json',
      default: '<SUPABASE_URL>/auth/v1/.well-known/jwks.json',
    }),
    jwksMaxAgeSeconds: wholeNumber('SUPABASE_AUTH_JWKS_MAX_AGE_SECONDS', 'seconds a fetched key set is trusted', {
      description: 'seconds a fetched key set is trusted before it is refreshed',
      example: '600',
      default: '600',
    }),
    jwksStaleIfErrorSeconds: wholeNumber(
      'SUPABASE_AUTH_JWKS_STALE_IF_ERROR_SECONDS',
      'seconds cached keys keep verifying while refreshes fail',
      {
        description: 'seconds past the max age that cached keys keep verifying while refreshes fail',
        example: '3600',
        default: '3600',
      },
    ),
    jwksFetchTimeoutMs: milliseconds('SUPABASE_AUTH_JWKS_FETCH_TIMEOUT_MS', {
      description: 'milliseconds one key-set download may take',
      example: '5000',
      default: '5000',
    }),
    jwksCooldownMs: milliseconds('SUPABASE_AUTH_JWKS_COOLDOWN_MS', {
      description: 'least milliseconds between two key-set fetches for an unknown kid',
      example: '60000',
      default: '60000',
    }),
  },
  options(values): SupabaseAuthOptions {
    const keySet = defined({
      url: values.jwksUrl,
      maxAgeSeconds: values.jwksMaxAgeSeconds,
      staleIfErrorSeconds: values.jwksStaleIfErrorSeconds,
      fetchTimeoutMs: values.jwksFetchTimeoutMs,
    });
    return defined({
      url: values.url,
      anonKey: values.anonKey,
      serviceRoleKey: values.serviceRoleKey,
      jwtSecret: values.jwtSecret,
      redirectTo: values.redirectTo,
      requestTimeoutMs: values.requestTimeoutMs,
      jwksCooldownMs: values.jwksCooldownMs,
      keySet: Object.keys(keySet).length > 0 ? keySet : undefined,
    }) as SupabaseAuthOptions;
  },
  peers: () => ['@supabase/supabase-js'],
  issuer: (options) => (options.url ? supabaseIssuer(options.url) : undefined),
  async create(options, context): Promise<AuthPort> {
    const { createSupabaseAuth } = await import('../auth/index.js');
    return createSupabaseAuth({ ...options, ...(context.onEvent ? { onEvent: context.onEvent } : {}) });
  },
});
