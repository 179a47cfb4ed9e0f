import { type AuthPort, type AuthUser, copyUser, SwitchyardError } from '@switchyard/core';
import { failure, userPages } from '../listings.js';
import { type RunOptions, type RunResult, resumableRun } from '../resumable.js';
import { withRetries } from '../retry.js';

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

/**
 * Creates every user of `from` at `to` before their first passwordless sign-in there (Cognito's
 * migration trigger does not run for passwordless sign-in), with the same application id and
 * email, `concurrency` at a time (default 8), resumable and split by `shard` (a hash of the id).
 * Never updates or deletes a user; a user whose email another account holds at `to` is a conflict.
 */
export function copyUsers(options: CopyUsersOptions): Promise<RunResult<CopyUsersCounts>> {
  const { from, to } = options;
  refuseWithoutIds(to);
  return resumableRun<AuthUser, CopyUsersCounts>({
    ...options,
    run: 'copy-users',
    label: 'copy users',
    defaultConcurrency: 8,
    zero,
    list: userPages(from, options),
    keyOf: (user) => user.id,
    handle: async (user) => {
      try {
        return { count: await withRetries(() => copyUser(to, user)) };
      } catch (error) {
        const count = SwitchyardError.hasCode(error, 'CONFLICT') ? 'conflicts' : 'failed';
        return { count, problem: failure(error, { userId: user.id, email: user.email }) };
      }
    },
  });
}
