import { SwitchyardError } from '../errors.js';
import type { DbUser } from './port.js';

/** The roles Supabase defines; `asUser` refuses any other unless an adapter is configured to allow it. */
export const DEFAULT_ASUSER_ROLES: readonly string[] = ['anon', 'authenticated', 'service_role'];

/**
 * One statement, one round trip: PostgREST sets the role and the claims the same way, with
 * transaction-local `set_config(..., true)` so nothing survives COMMIT or ROLLBACK.
 * https://docs.postgrest.org/en/stable/references/transactions.html#request-headers-cookies-and-jwt-claims
 */
export const ASUSER_SETUP_SQL = "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)";

/** Role and claims JSON for `asUser`, validated. */
export function asUserSettings(
  user: DbUser,
  context: { provider: string; allowedRoles?: readonly string[] | undefined },
): { role: string; claims: string } {
  const role = user?.role ?? 'authenticated';
  const allowed = context.allowedRoles ?? DEFAULT_ASUSER_ROLES;
  const invalid = (message: string) =>
    new SwitchyardError({ code: 'INVALID_INPUT', port: 'db', provider: context.provider, operation: 'asUser', message });
  if (typeof user?.id !== 'string' || user.id === '') throw invalid('asUser needs a user with a non-empty string id.');
  if (!allowed.includes(role)) {
    throw invalid(`asUser role "${role}" is not allowed; use one of ${allowed.join(', ')} (or configure allowedRoles).`);
  }
  const claims: Record<string, unknown> = {
    aud: 'authenticated',
    ...user.claims,
    sub: user.id,
    role,
  };
  if (user.email !== undefined) claims.email = user.email;
  return { role, claims: JSON.stringify(claims) };
}
