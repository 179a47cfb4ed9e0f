import { SwitchyardError } from '../errors.js';

// Deliberately loose: one "@", something on both sides, a dot in the domain, no spaces.
// Providers apply their own stricter rules; this only catches obvious mistakes before I/O.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cases and trims an address, throwing `INVALID_INPUT` when it is not one. */
export function normalizeEmail(email: unknown, context: { provider: string; operation: string }): string {
  const value = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (!EMAIL.test(value) || value.length > 254) {
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      port: 'auth',
      ...context,
      message: 'Invalid email address: expected something like "name@example.com".',
    });
  }
  return value;
}
