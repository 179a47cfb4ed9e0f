import type { AuthAdmin, AuthPort, AuthUser, CreateUserInput, ListUsersOptions, UpdateUserInput, UserPage } from '../auth/port.js';
import { SwitchyardError } from '../errors.js';
import type { ReadMode } from '../providers/config.js';
import { printsAs } from '../redact.js';
import { type DualScope, dualCall } from './dual-call.js';
import { type BackgroundWork, type DualContext, reportDivergence, shadowCall } from './shadow.js';

/** User administration during dual-run: writes reach both providers with the same application id. */
export class DualAuthAdmin implements AuthAdmin {
  constructor(
    private readonly primary: AuthPort,
    private readonly shadow: AuthPort,
    private readonly context: DualContext,
    private readonly reads: ReadMode,
    private readonly background: BackgroundWork,
  ) {
    printsAs(this, { primary: primary.provider, shadow: shadow.provider });
    this.provider = `${primary.provider}+${shadow.provider}`;
  }

  private readonly provider: string;

  /**
   * The shadow's user with this email, or null when it has none. When the shadow cannot answer
   * (down, slow, or skipped by its open circuit) this throws a retryable UNAVAILABLE: creating the
   * user at the primary without knowing would give them a second identity with another id, and
   * every row tied to the old id would be lost to them (fail closed).
   */
  async shadowUserByEmail(operation: string, email: string, scope?: DualScope): Promise<AuthUser | null> {
    const lookUp = () => this.shadow.admin.getUserByEmail(email);
    try {
      return await shadowCall(this.context, operation, scope ? scope.shadow(lookUp) : lookUp);
    } catch (error) {
      reportDivergence(this.context, operation, 'the shadow could not look the user up; refused rather than split the identity', {
        kind: 'shadow-failure',
        error,
      });
      throw new SwitchyardError({
        code: 'UNAVAILABLE',
        port: 'auth',
        provider: this.context.shadow,
        operation,
        retryable: true,
        cause: error,
        message: `${this.context.shadow} (the migration's other side) could not say whether this user already exists, so no account was created; try again shortly.`,
      });
    }
  }

  private async shadowWrite(operation: string, write: () => Promise<unknown>, ignoreNotFound = false): Promise<void> {
    try {
      await shadowCall(this.context, operation, write);
    } catch (error) {
      // A user created before dual-run began exists at one side only; that is not a divergence.
      if (ignoreNotFound && SwitchyardError.hasCode(error, 'NOT_FOUND')) return;
      reportDivergence(this.context, `admin.${operation}`, 'the shadow did not take the user change', { kind: 'shadow-failure', error });
    }
  }

  private call<T>(operation: string, run: (scope: DualScope) => Promise<T>): Promise<T> {
    return dualCall(this.context, this.provider, `admin.${operation}`, run);
  }

  createUser(input: CreateUserInput): Promise<AuthUser> {
    return this.call('createUser', async (scope) => {
      let id = input.id;
      // A user the shadow already knows keeps their application id at the primary too.
      if (id === undefined && this.primary.capabilities.customUserId)
        id = (await this.shadowUserByEmail('admin.createUser', input.email, scope))?.id;
      const user = await scope.primary(() => this.primary.admin.createUser({ ...input, ...(id === undefined ? {} : { id }) }));
      await this.shadowWrite(
        'createUser',
        scope.shadow(async () => {
          if (await this.shadow.admin.getUser(user.id)) return;
          if (!this.shadow.capabilities.customUserId) {
            reportDivergence(this.context, 'admin.createUser', 'the shadow cannot keep the application id; its user gets another id', {
              kind: 'unsupported',
            });
          }
          await this.shadow.admin.createUser({ ...input, ...(this.shadow.capabilities.customUserId ? { id: user.id } : {}) });
        }),
      );
      return user;
    });
  }

  getUser(id: string): Promise<AuthUser | null> {
    return this.lookUp('getUser', (side) => side.admin.getUser(id));
  }

  getUserByEmail(email: string): Promise<AuthUser | null> {
    return this.lookUp('getUserByEmail', (side) => side.admin.getUserByEmail(email));
  }

  /** A user look-up: the primary answers, and the shadow is read as `reads` says (see withShadowRead). */
  private lookUp(operation: string, read: (side: AuthPort) => Promise<AuthUser | null>): Promise<AuthUser | null> {
    return this.call(operation, async (scope) => {
      const user = await scope.primary(() => read(this.primary));
      return this.withShadowRead(
        operation,
        user,
        scope.shadow(() => read(this.shadow)),
      );
    });
  }

  private async withShadowRead(operation: string, user: AuthUser | null, read: () => Promise<AuthUser | null>): Promise<AuthUser | null> {
    if (this.reads === 'fallback' && user === null) {
      try {
        return await shadowCall(this.context, `admin.${operation}`, read);
      } catch (error) {
        reportDivergence(this.context, `admin.${operation}`, 'the fallback read at the shadow failed', { kind: 'shadow-failure', error });
        return null;
      }
    }
    if (this.reads === 'compare') {
      this.background.start(async () => {
        try {
          const other = await shadowCall(this.context, `admin.${operation}`, read);
          const difference =
            (user === null) !== (other === null)
              ? `user ${user ? 'missing in the shadow' : 'present in the shadow only'}`
              : user && other && (user.id !== other.id || user.email !== other.email)
                ? 'id or email differs'
                : null;
          if (difference) reportDivergence(this.context, `admin.${operation}`, difference, { kind: 'mismatch' });
        } catch (error) {
          reportDivergence(this.context, `admin.${operation}`, 'the comparison read at the shadow failed', {
            kind: 'shadow-failure',
            error,
          });
        }
      });
    }
    return user;
  }

  /** The primary's users; users not yet migrated are listed by the shadow alone. */
  listUsers(options?: ListUsersOptions): Promise<UserPage> {
    return this.call('listUsers', (scope) => scope.primary(() => this.primary.admin.listUsers(options)));
  }

  updateUser(id: string, input: UpdateUserInput): Promise<AuthUser> {
    return this.call('updateUser', async (scope) => {
      const user = await scope.primary(() => this.primary.admin.updateUser(id, input));
      await this.shadowWrite(
        'updateUser',
        scope.shadow(() => this.shadow.admin.updateUser(id, input)),
        true,
      );
      return user;
    });
  }

  deleteUser(id: string): Promise<void> {
    return this.call('deleteUser', async (scope) => {
      await scope.primary(() => this.primary.admin.deleteUser(id));
      await this.shadowWrite(
        'deleteUser',
        scope.shadow(() => this.shadow.admin.deleteUser(id)),
      );
    });
  }
}
