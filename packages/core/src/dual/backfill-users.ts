import type { AuthPort, AuthUser } from '../auth/port.js';
import { SwitchyardError } from '../errors.js';

export interface BackfillUsersOptions {
  /** The provider that knows the users (during a migration, the old one). */
  from: AuthPort;
  /** The provider to create them in; it must keep caller-chosen ids (`capabilities.customUserId`). */
  to: AuthPort;
  /** A `cursor` from an earlier run's progress, to resume the listing there. */
  cursor?: string;
  /** Called after each page of users is done; `cursor` resumes after that page (absent after the last). */
  onProgress?: (progress: BackfillUsersProgress) => void;
}

export interface BackfillUsersProgress {
  /** Users listed at `from`. */
  examined: number;
  /** Users created at `to` with their application id and email. */
  created: number;
  /** Users `to` already knew by that id. */
  skipped: number;
  /** Users that could not be created; running again retries them. */
  failed: number;
  cursor?: string | undefined;
}

/** One user that could not be created, with why (for example another user holds the email at `to`). */
export interface BackfillUserFailure {
  userId: string;
  error: SwitchyardError;
}

export interface BackfillUsersResult extends Omit<BackfillUsersProgress, 'failed' | 'cursor'> {
  failed: BackfillUserFailure[];
}

const PAGE_SIZE = 50;

function error(code: 'UNSUPPORTED' | 'CONFLICT' | 'UNAVAILABLE', message: string, cause?: unknown): SwitchyardError {
  return new SwitchyardError({ code, port: 'auth', provider: 'backfill', operation: 'backfillUsers', message, cause });
}

/**
 * Creates `user` at `to` with the same application id, email, verification and metadata unless `to`
 * knows the id already; CONFLICT when another user holds the email there (never merged).
 */
export async function copyUser(to: AuthPort, user: AuthUser): Promise<'created' | 'skipped'> {
  if (await to.admin.getUser(user.id)) return 'skipped';
  const holder = await to.admin.getUserByEmail(user.email);
  if (holder) {
    // Not merged: choosing which account keeps the email is the application's decision.
    throw error('CONFLICT', `Another user (${holder.id}) already holds this email at ${to.provider}; resolve it by hand, then run again.`);
  }
  try {
    await to.admin.createUser({ id: user.id, email: user.email, emailVerified: user.emailVerified, metadata: user.metadata });
  } catch (cause) {
    // A lazy migration or another run created them meanwhile.
    if (SwitchyardError.hasCode(cause, 'CONFLICT') && (await to.admin.getUser(user.id))) return 'skipped';
    throw cause;
  }
  return 'created';
}

/**
 * Creates every user of `from` that `to` lacks, with the same application id, email, verification
 * and metadata: the migration's bulk user import before `to` becomes the primary (Cognito's
 * migration trigger does not run for passwordless sign-in). Idempotent and resumable; it never
 * updates or deletes a user. Throws UNSUPPORTED before any write when `to` cannot keep ids.
 */
export async function backfillUsers(options: BackfillUsersOptions): Promise<BackfillUsersResult> {
  const { from, to } = options;
  if (!to.capabilities.customUserId) {
    throw error(
      'UNSUPPORTED',
      `${to.provider} auth cannot create a user with a chosen id (capabilities.customUserId is false), so migrated users would lose the id their data uses; configure the adapter to keep application ids (for Cognito, the custom:app_user_id attribute).`,
    );
  }
  const result: BackfillUsersResult = { examined: 0, created: 0, skipped: 0, failed: [] };
  let cursor = options.cursor;
  do {
    const page = await from.admin.listUsers({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    result.examined += page.users.length;
    for (const user of page.users) {
      try {
        result[await copyUser(to, user)]++;
      } catch (cause) {
        const failure = SwitchyardError.isInstance(cause)
          ? cause
          : error('UNAVAILABLE', 'Creating the user failed; run the backfill again.', cause);
        result.failed.push({ userId: user.id, error: failure });
      }
    }
    cursor = page.cursor;
    options.onProgress?.({ ...result, failed: result.failed.length, cursor });
  } while (cursor);
  return result;
}
