import type { AuthPort, AuthUser } from '@switchyard/core';
import { failure } from '../listings.js';
import type { Outcome, RunOptions, RunResult } from '../resumable.js';
import { withRetries } from '../retry.js';
import { userRun } from '../user-run.js';

export interface VerifyUsersOptions extends RunOptions {
  from: AuthPort;
  to: AuthPort;
}

export interface VerifyUsersCounts extends Record<string, number> {
  /** Known at the target by the same id with the same email. */
  same: number;
  /** Not at the target: `copy users` creates them. */
  missing: number;
  /** At the target by id with another email, or the email held there by another id (a split identity). */
  split: number;
  failed: number;
}

const zero = (): VerifyUsersCounts => ({ same: 0, missing: 0, split: 0, failed: 0 });
const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

async function compare(to: AuthPort, user: AuthUser): Promise<Outcome<VerifyUsersCounts>> {
  const [byId, byEmail] = await Promise.all([to.admin.getUser(user.id), to.admin.getUserByEmail(user.email)]);
  if (byId && sameEmail(byId.email, user.email) && (!byEmail || byEmail.id === user.id)) return { count: 'same' };
  if (!byId && !byEmail) return { count: 'missing', problem: { userId: user.id, email: user.email, difference: 'missing at the target' } };
  const difference = byId ? `at the target with email ${byId.email}` : `the email belongs to ${byEmail?.id} at the target`;
  return { count: 'split', problem: { userId: user.id, email: user.email, difference } };
}

/** Compares every user of `from` with `to` by application id and email; differences go to the problems file. */
export function verifyUsers(options: VerifyUsersOptions): Promise<RunResult<VerifyUsersCounts>> {
  const { to } = options;
  return userRun(options, {
    run: 'verify-users',
    label: 'verify users',
    zero,
    handle: async (user) => {
      try {
        return await withRetries(() => compare(to, user));
      } catch (error) {
        return { count: 'failed', problem: failure(error, { userId: user.id }) };
      }
    },
  });
}
