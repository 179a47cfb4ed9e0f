import type { AuthPort, AuthUser } from '@switchyard/core';
import { userPages } from './listings.js';
import { type Counts, type Outcome, type RunOptions, type RunResult, resumableRun } from './resumable.js';

/** What a run over users names for itself; the listing, the shard key and the concurrency are shared. */
export interface UserRun<C extends Counts> {
  run: string;
  label: string;
  zero: () => C;
  handle: (user: AuthUser) => Promise<Outcome<C>>;
}

/** A resumable run over every user of `options.from`, split by `shard` on the user id, 8 users at a time by default. */
export function userRun<C extends Counts>(options: RunOptions & { from: AuthPort }, spec: UserRun<C>): Promise<RunResult<C>> {
  return resumableRun<AuthUser, C>({
    ...options,
    ...spec,
    defaultConcurrency: 8,
    list: userPages(options.from, options),
    keyOf: (user) => user.id,
  });
}
