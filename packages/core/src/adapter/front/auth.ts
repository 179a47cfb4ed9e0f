import { normalizeEmail } from '../../auth/email.js';
import type {
  AuthAdmin,
  AuthCapabilities,
  AuthPort,
  AuthUser,
  CreateUserInput,
  ListUsersOptions,
  SendSignInEmailOptions,
  Session,
  SignInProof,
  SignOutOptions,
  UpdateUserInput,
  UserPage,
} from '../../auth/port.js';
import { SwitchyardError, unsupported } from '../../errors.js';
import type { OnEvent } from '../../events.js';
import { printsAs } from '../../redact.js';
import type { FrontOptions } from './storage.js';
import { frontCall } from './unknown-error.js';

/** The admin calls an auth adapter implements, with input checked and emails normalised. */
export interface AuthAdminDriver {
  createUser(input: CreateUserInput): Promise<AuthUser>;
  getUser(id: string): Promise<AuthUser | null>;
  getUserByEmail(email: string): Promise<AuthUser | null>;
  listUsers(options: ListUsersOptions & { limit: number }): Promise<UserPage>;
  updateUser(id: string, input: UpdateUserInput): Promise<AuthUser>;
  deleteUser(id: string): Promise<void>;
}

/**
 * What an auth adapter implements (see `StorageDriver`): emails arrive lower-cased and trimmed,
 * proofs and tokens are non-empty strings of the right shape, `scope` is one the port names and
 * `'global'` only where declared.
 */
export interface AuthDriver {
  readonly capabilities: AuthCapabilities;
  readonly admin: AuthAdminDriver;
  sendSignInEmail(email: string, options: SendSignInEmailOptions): Promise<void>;
  verifySignIn(proof: SignInProof): Promise<Session>;
  refresh(refreshToken: string): Promise<Session>;
  signOut(session: Pick<Session, 'accessToken' | 'refreshToken'>, options: { scope: 'local' | 'global' | 'others' }): Promise<void>;
  verifyAccessToken(token: string): Promise<AuthUser>;
  close(): Promise<void>;
}

const SCOPES = ['local', 'global', 'others'] as const;

/** The AuthPort every auth adapter is reached through (see `storagePort`). */
export function authPort(driver: AuthDriver, options: FrontOptions): AuthPort {
  return new FrontAuth(driver, options);
}

class Front {
  protected readonly meta: { port: 'auth'; provider: string; onEvent: OnEvent | undefined };

  constructor(
    readonly provider: string,
    onEvent: OnEvent | undefined,
  ) {
    this.meta = { port: 'auth', provider, onEvent };
  }

  protected run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return frontCall(this.meta, operation, call);
  }

  protected invalid(operation: string, message: string): SwitchyardError {
    return new SwitchyardError({ code: 'INVALID_INPUT', port: 'auth', provider: this.provider, operation, message });
  }

  protected text(value: unknown, operation: string, what: string): string {
    if (typeof value !== 'string' || value.trim() === '') throw this.invalid(operation, `${what} must be a non-empty string.`);
    return value;
  }

  protected email(value: unknown, operation: string): string {
    return normalizeEmail(value, { provider: this.provider, operation });
  }
}

class FrontAdmin extends Front implements AuthAdmin {
  constructor(
    private readonly driver: AuthAdminDriver,
    provider: string,
    onEvent: OnEvent | undefined,
  ) {
    super(provider, onEvent);
    printsAs(this, { provider, port: 'auth.admin' });
  }

  createUser(input: CreateUserInput): Promise<AuthUser> {
    return this.run('admin.createUser', async () => {
      if (typeof input !== 'object' || input === null) throw this.invalid('admin.createUser', 'createUser needs { email, ... }.');
      const email = this.email(input.email, 'admin.createUser');
      if (
        input.metadata !== undefined &&
        (typeof input.metadata !== 'object' || input.metadata === null || Array.isArray(input.metadata))
      ) {
        throw this.invalid('admin.createUser', 'metadata must be an object.');
      }
      return this.driver.createUser({ ...input, email });
    });
  }

  getUser(id: string): Promise<AuthUser | null> {
    return this.run('admin.getUser', async () => this.driver.getUser(this.text(id, 'admin.getUser', 'id')));
  }

  getUserByEmail(email: string): Promise<AuthUser | null> {
    return this.run('admin.getUserByEmail', async () => this.driver.getUserByEmail(this.email(email, 'admin.getUserByEmail')));
  }

  listUsers(options: ListUsersOptions = {}): Promise<UserPage> {
    return this.run('admin.listUsers', async () => {
      const limit = options.limit ?? 50;
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= 60)) {
        throw this.invalid('admin.listUsers', `listUsers limit must be an integer from 1 to 60 (got ${String(options.limit)}).`);
      }
      if (options.cursor !== undefined) this.text(options.cursor, 'admin.listUsers', 'cursor (the string a previous page returned)');
      return this.driver.listUsers({ ...options, limit });
    });
  }

  updateUser(id: string, input: UpdateUserInput): Promise<AuthUser> {
    return this.run('admin.updateUser', async () => {
      this.text(id, 'admin.updateUser', 'id');
      if (typeof input !== 'object' || input === null) throw this.invalid('admin.updateUser', 'updateUser needs the fields to change.');
      const email = input.email === undefined ? undefined : this.email(input.email, 'admin.updateUser');
      if (
        input.metadata !== undefined &&
        (typeof input.metadata !== 'object' || input.metadata === null || Array.isArray(input.metadata))
      ) {
        throw this.invalid('admin.updateUser', 'metadata must be an object.');
      }
      return this.driver.updateUser(id, { ...input, ...(email === undefined ? {} : { email }) });
    });
  }

  deleteUser(id: string): Promise<void> {
    return this.run('admin.deleteUser', async () => this.driver.deleteUser(this.text(id, 'admin.deleteUser', 'id')));
  }
}

class FrontAuth extends Front implements AuthPort {
  readonly capabilities: AuthCapabilities;
  readonly admin: AuthAdmin;

  constructor(
    private readonly driver: AuthDriver,
    options: FrontOptions,
  ) {
    super(options.provider, options.onEvent);
    this.capabilities = driver.capabilities;
    this.admin = new FrontAdmin(driver.admin, options.provider, options.onEvent);
    printsAs(this, { provider: options.provider, port: 'auth', ...options.summary });
  }

  sendSignInEmail(email: string, options: SendSignInEmailOptions = {}): Promise<void> {
    return this.run('sendSignInEmail', async () => this.driver.sendSignInEmail(this.email(email, 'sendSignInEmail'), options));
  }

  verifySignIn(proof: SignInProof): Promise<Session> {
    return this.run('verifySignIn', async () => {
      const p = proof as Partial<{ email: unknown; code: unknown; tokenHash: unknown }> | null;
      if (p && typeof p === 'object' && 'tokenHash' in p) {
        return this.driver.verifySignIn({ tokenHash: this.text(p.tokenHash, 'verifySignIn', 'tokenHash') });
      }
      if (p && typeof p === 'object' && 'email' in p && 'code' in p) {
        const email = this.email(p.email, 'verifySignIn');
        return this.driver.verifySignIn({ email, code: this.text(p.code, 'verifySignIn', 'code').trim() });
      }
      throw this.invalid('verifySignIn', 'verifySignIn needs { email, code } or { tokenHash }.');
    });
  }

  refresh(refreshToken: string): Promise<Session> {
    return this.run('refresh', async () => this.driver.refresh(this.text(refreshToken, 'refresh', 'refreshToken')));
  }

  signOut(session: Pick<Session, 'accessToken' | 'refreshToken'>, options: SignOutOptions = {}): Promise<void> {
    return this.run('signOut', async () => {
      if (typeof session !== 'object' || session === null) throw this.invalid('signOut', 'signOut needs the session to end.');
      this.text(session.accessToken, 'signOut', "the session's accessToken");
      const scope = options.scope ?? 'local';
      if (!SCOPES.includes(scope)) throw this.invalid('signOut', "scope must be 'local', 'global' or 'others'.");
      if (scope === 'global' && !this.capabilities.globalSignOut) {
        throw unsupported({ port: 'auth', provider: this.provider, operation: 'signOut' }, 'signing out every session (scope: global)');
      }
      return this.driver.signOut(session, { scope });
    });
  }

  verifyAccessToken(token: string): Promise<AuthUser> {
    // Not async (see frontCall): verification is called on every request, a promise fewer helps.
    return this.run('verifyAccessToken', () => {
      if (typeof token !== 'string' || token === '') {
        throw new SwitchyardError({
          code: 'UNAUTHENTICATED',
          reason: 'invalid',
          port: 'auth',
          provider: this.provider,
          operation: 'verifyAccessToken',
          message: 'No access token was given.',
        });
      }
      return this.driver.verifyAccessToken(token);
    });
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
