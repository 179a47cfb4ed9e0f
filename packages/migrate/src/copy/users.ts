import { type AuthPort, type AuthUser, copyUser, SwitchyardError } from '@switchyard/core';
import { failure } from '../listings.js';
import type { Outcome, RunOptions, RunResult } from '../resumable.js';
import { withRetries } from '../retry.js';
import { userRun } from '../user-run.js';

export interface CopyUsersOptions extends RunOptions {
  from: AuthPort;
  to: AuthPort;
}

export interface CopyUsersCounts extends Record<string, number> {
  /** Created at the target with their application id, email, verification and metadata. */
  created: number;
  /** The target knew them by that id already (copied before, or migrated on sign-in). */
  skipped: number;
  /** Another user holds the email at the target: never merged; resolve by hand (problems file). */
  conflicts: number;
  /** Could not be created; running again retries them. */
  failed: number;
}

const zero = (): CopyUsersCounts => ({ created: 0, skipped: 0, conflicts: 0, failed: 0 });

function refuseWithoutIds(to: AuthPort): void {
  if (to.capabilities.customUserId) return;
  throw new SwitchyardError({
    code: 'UNSUPPORTED',
    port: 'auth',
    provider: to.provider,
    operation: 'copy users',
    message: `${to.provider} auth cannot create a user with a chosen id (capabilities.customUserId is false), so copied users would lose the id their rows use; configure the adapter to keep application ids (for Cognito, the custom:app_user_id attribute).`,
  });
}

/** Creates one user at `to`, retried through a blip; an email another account holds there is a conflict. */
async function copyOne(to: AuthPort, user: AuthUser): Promise<Outcome<CopyUsersCounts>> {
  try {
    return { count: await withRetries(() => copyUser(to, user)) };
  } catch (error) {
    const count = SwitchyardError.hasCode(error, 'CONFLICT') ? 'conflicts' : 'failed';
    return { count, problem: failure(error, { userId: user.id, email: user.email }) };
  }
}

/**
 * Creates every user of `from` at `to` before their first passwordless sign-in there (Cognito's
 * migration trigger does not run for passwordless sign-in), with the same application id and
 * email, `concurrency` at a time (default 8), resumable and split by `shard` (a hash of the id).
 * Never updates or deletes a user; a user whose email another account holds at `to` is a conflict.
 */
export function copyUsers(options: CopyUsersOptions): Promise<RunResult<CopyUsersCounts>> {
  const { to } = options;
  refuseWithoutIds(to);
  return userRun(options, {
    run: 'copy-users',
    label: 'copy users',
    zero,
    handle: (user) => copyOne(to, user),
  });
}
