import { randomUUID } from 'node:crypto';
import type {
  AuthAdminDriver,
  AuthUser,
  CreateUserInput,
  ListUsersOptions,
  UpdateUserInput,
  UserPage,
} from '@switchyard/core/adapter/auth';
import { type CognitoContext, call, filterValue } from './context.js';
import { authError } from './errors.js';
import { type CognitoUser, MAX_METADATA_LENGTH, publicUser, toCognitoUser } from './users.js';

// The application id doubles as the Cognito username, so lookups by id are one AdminGetUser.
// Cognito usernames allow more, but an id must also be safe inside a ListUsers filter and a URL.
const APP_ID = /^[A-Za-z0-9_-]{1,128}$/;

function isNotFound(error: unknown): boolean {
  return (error as { cause?: { name?: unknown } })?.cause?.name === 'UserNotFoundException';
}

/**
 * User administration on a Cognito user pool (AdminCreateUser, AdminGetUser, ListUsers, …). The
 * public methods get input checked by core's front layer; `create`, `find` and `findByEmail` also
 * serve the sign-in flows.
 */
export class CognitoAuthAdmin implements AuthAdminDriver {
  constructor(
    private readonly ctx: CognitoContext,
    /** Called after a user changed or was deleted, so cached profiles are dropped. */
    private readonly forget: (user: CognitoUser) => void,
  ) {}

  private get pool(): string {
    return this.ctx.options.userPoolId;
  }

  private toUser(record: Parameters<typeof toCognitoUser>[0]): CognitoUser {
    return toCognitoUser(record, this.ctx.options);
  }

  private metadataAttribute(metadata: Record<string, unknown>, operation: string) {
    const value = JSON.stringify(metadata);
    if (value.length > MAX_METADATA_LENGTH) {
      throw authError(
        operation,
        'INVALID_INPUT',
        `metadata is ${value.length} characters of JSON; Cognito keeps at most ${MAX_METADATA_LENGTH}.`,
      );
    }
    return { Name: this.ctx.options.metadataAttribute, Value: value };
  }

  async createUser(input: CreateUserInput): Promise<AuthUser> {
    return publicUser(await this.create(input, 'admin.createUser'));
  }

  /** AdminCreateUser with MessageAction SUPPRESS: Cognito sends nothing, sign-in is passwordless. */
  async create(input: CreateUserInput, operation: string): Promise<CognitoUser> {
    const { email } = input;
    if (input.id !== undefined && !APP_ID.test(input.id)) {
      throw authError(operation, 'INVALID_INPUT', 'A caller-chosen user id must be 1–128 letters, digits, "-" or "_" (a UUID fits).');
    }
    const attributes = [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: String(input.emailVerified ?? false) },
      ...(input.metadata ? [this.metadataAttribute(input.metadata, operation)] : []),
    ];
    // Cognito's own uniqueness check covers the username only (email is merely an alias), so the
    // email is checked first; two concurrent creations of one address can still both pass.
    if (await this.findByEmail(email, operation)) throw authError(operation, 'CONFLICT', 'A user with this email already exists.');
    const id = input.id ?? randomUUID();
    const { cognito } = this.ctx.sdk;
    const created = await call(operation, () =>
      this.ctx.send(
        new cognito.AdminCreateUserCommand({
          UserPoolId: this.pool,
          Username: id,
          MessageAction: 'SUPPRESS',
          UserAttributes: [...attributes, { Name: this.ctx.options.appUserIdAttribute, Value: id }],
        }),
      ),
    );
    return this.toUser(created.User ?? {});
  }

  async getUser(id: string): Promise<AuthUser | null> {
    const user = await this.find(id, 'admin.getUser');
    return user ? publicUser(user) : null;
  }

  /** The user whose application id is `id`: its username, or — for users made elsewhere — its `sub`. */
  async find(id: string, operation: string): Promise<CognitoUser | null> {
    if (typeof id !== 'string' || !APP_ID.test(id)) return null;
    const byUsername = await this.byUsername(id, operation);
    if (byUsername?.id === id) return byUsername;
    const { cognito } = this.ctx.sdk;
    const listed = await call(operation, () =>
      this.ctx.send(new cognito.ListUsersCommand({ UserPoolId: this.pool, Filter: `sub = "${id}"`, Limit: 1 })),
    );
    const bySub = listed.Users?.[0] ? this.toUser(listed.Users[0]) : undefined;
    return bySub?.id === id ? bySub : null;
  }

  /** AdminGetUser; null when there is no such user. */
  async byUsername(username: string, operation: string): Promise<CognitoUser | null> {
    const { cognito } = this.ctx.sdk;
    try {
      const found = await call(operation, () =>
        this.ctx.send(new cognito.AdminGetUserCommand({ UserPoolId: this.pool, Username: username })),
      );
      return this.toUser(found);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async getUserByEmail(email: string): Promise<AuthUser | null> {
    const user = await this.findByEmail(email, 'admin.getUserByEmail');
    return user ? publicUser(user) : null;
  }

  /** ListUsers with `email = "…"`; the adapter stores addresses lower-cased. */
  async findByEmail(address: string, operation: string): Promise<CognitoUser | null> {
    const value = filterValue(address);
    if (!value) return null;
    const { cognito } = this.ctx.sdk;
    const listed = await call(operation, () =>
      this.ctx.send(new cognito.ListUsersCommand({ UserPoolId: this.pool, Filter: `email = "${value}"`, Limit: 2 })),
    );
    const match = (listed.Users ?? []).map((u) => this.toUser(u)).find((u) => u.email.toLowerCase() === address);
    return match ?? null;
  }

  async listUsers(options: ListUsersOptions & { limit: number }): Promise<UserPage> {
    const { limit } = options;
    const { cognito } = this.ctx.sdk;
    // Cognito's PaginationToken is already opaque; it is the cursor as is.
    const page = await call('admin.listUsers', () =>
      this.ctx.send(
        new cognito.ListUsersCommand({
          UserPoolId: this.pool,
          Limit: limit,
          ...(options.cursor ? { PaginationToken: options.cursor } : {}),
        }),
      ),
    );
    return { users: (page.Users ?? []).map((u) => publicUser(this.toUser(u))), cursor: page.PaginationToken || undefined };
  }

  async updateUser(id: string, input: UpdateUserInput): Promise<AuthUser> {
    const operation = 'admin.updateUser';
    const { email } = input;
    const metadata = input.metadata === undefined ? undefined : this.metadataAttribute(input.metadata, operation);
    const user = await this.find(id, operation);
    if (!user) throw authError(operation, 'NOT_FOUND', 'No user has this id.');
    if (email !== undefined && email !== user.email) {
      const owner = await this.findByEmail(email, operation);
      if (owner && owner.username !== user.username) throw authError(operation, 'CONFLICT', 'Another user already has this email.');
    }
    const changesEmail = email !== undefined && email !== user.email;
    const verified = input.emailVerified ?? (changesEmail ? false : undefined);
    const attributes = [
      // Cognito only accepts email_verified together with email in some setups (cognito-local
      // insists), so the current address rides along.
      ...(email !== undefined || verified !== undefined ? [{ Name: 'email', Value: email ?? user.email }] : []),
      ...(verified !== undefined ? [{ Name: 'email_verified', Value: String(verified) }] : []),
      ...(metadata ? [metadata] : []),
    ];
    const { cognito } = this.ctx.sdk;
    if (attributes.length > 0) {
      await call(operation, () =>
        this.ctx.send(
          new cognito.AdminUpdateUserAttributesCommand({ UserPoolId: this.pool, Username: user.username, UserAttributes: attributes }),
        ),
      );
    }
    this.forget(user);
    const updated = await this.byUsername(user.username, operation);
    if (!updated) throw authError(operation, 'NOT_FOUND', 'The user was deleted while being updated.');
    return publicUser(updated);
  }

  /** AdminDeleteUser; Cognito invalidates the user's refresh tokens with the user. */
  async deleteUser(id: string): Promise<void> {
    const operation = 'admin.deleteUser';
    const user = await this.find(id, operation);
    if (!user) return;
    const { cognito } = this.ctx.sdk;
    try {
      await call(operation, () => this.ctx.send(new cognito.AdminDeleteUserCommand({ UserPoolId: this.pool, Username: user.username })));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.forget(user);
  }
}
