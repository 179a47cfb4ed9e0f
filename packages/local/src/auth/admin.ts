import { randomUUID } from 'node:crypto';
import type { AuthAdminDriver, AuthUser, CreateUserInput, ListUsersOptions, UpdateUserInput, UserPage } from '@switchyard/core/adapter';
import { errors } from './errors.js';
import type { AuthStore, UserRecord } from './store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toAuthUser(user: UserRecord): AuthUser {
  return {
    id: user.id,
    email: user.email,
    emailVerified: user.emailVerified,
    provider: 'local',
    metadata: structuredClone(user.metadata),
    createdAt: new Date(user.createdAt),
  };
}

/** User administration for LocalAuth. Ids are UUIDs, as in Supabase, so `auth.uid()` policies work. */
export class LocalAuthAdmin implements AuthAdminDriver {
  constructor(
    private readonly store: AuthStore,
    private readonly now: () => number,
    private readonly endSessions: (userId: string) => Promise<void>,
  ) {}

  async createUser(input: CreateUserInput): Promise<AuthUser> {
    const { email } = input;
    if (input.id !== undefined && !UUID.test(input.id)) {
      throw errors.error(
        'admin.createUser',
        'INVALID_INPUT',
        'A caller-chosen user id must be a UUID (the id your database already uses).',
      );
    }
    if (this.store.userByEmail(email)) throw errors.error('admin.createUser', 'CONFLICT', 'A user with this email already exists.');
    const id = input.id?.toLowerCase() ?? randomUUID();
    if (this.store.users.has(id)) throw errors.error('admin.createUser', 'CONFLICT', 'A user with this id already exists.');
    const user: UserRecord = {
      id,
      email,
      emailVerified: input.emailVerified ?? false,
      metadata: { ...input.metadata },
      createdAt: this.now(),
    };
    this.store.putUser(user);
    await this.store.persist();
    return toAuthUser(user);
  }

  async getUser(id: string): Promise<AuthUser | null> {
    const user = this.store.users.get(String(id).toLowerCase());
    return user ? toAuthUser(user) : null;
  }

  async getUserByEmail(email: string): Promise<AuthUser | null> {
    const user = this.store.userByEmail(email);
    return user ? toAuthUser(user) : null;
  }

  async listUsers(options: ListUsersOptions & { limit: number }): Promise<UserPage> {
    const { limit } = options;
    // Ordered by (createdAt, id); the cursor is the last pair returned, so inserts never shift pages.
    const sorted = [...this.store.users.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let start = 0;
    if (options.cursor) {
      const [createdAt, id] = Buffer.from(options.cursor, 'base64url').toString('utf8').split('|');
      const after = Number(createdAt);
      start = sorted.findIndex((u) => u.createdAt > after || (u.createdAt === after && u.id > String(id)));
      if (start === -1) start = sorted.length;
    }
    const page = sorted.slice(start, start + limit);
    const last = page.at(-1);
    const more = start + limit < sorted.length;
    return {
      users: page.map(toAuthUser),
      cursor: more && last ? Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url') : undefined,
    };
  }

  async updateUser(id: string, input: UpdateUserInput): Promise<AuthUser> {
    const user = this.store.users.get(String(id).toLowerCase());
    if (!user) throw errors.error('admin.updateUser', 'NOT_FOUND', 'No user has this id.');
    const next = { ...user };
    if (input.email !== undefined) {
      next.email = input.email;
      const owner = this.store.userByEmail(next.email);
      if (owner && owner.id !== user.id) throw errors.error('admin.updateUser', 'CONFLICT', 'Another user already has this email.');
    }
    if (input.emailVerified !== undefined) next.emailVerified = input.emailVerified;
    if (input.metadata !== undefined) next.metadata = { ...input.metadata };
    this.store.putUser(next);
    await this.store.persist();
    return toAuthUser(next);
  }

  async deleteUser(id: string): Promise<void> {
    const key = String(id).toLowerCase();
    if (!this.store.users.has(key)) return;
    await this.endSessions(key);
    this.store.removeUser(key);
    await this.store.persist();
  }
}
