import type { AuthUser, DbUser } from '@switchyard/core';

/** Who the database sees: `auth.uid()` in the row-level security policies returns this id. */
export function asDbUser(user: AuthUser): DbUser {
  return { id: user.id, email: user.email };
}
