import type { SupabaseClient, User } from '@supabase/supabase-js';
import type * as port from '@switchyard/core/adapter/auth';
import { errors, mapAuthError } from './errors.js';
import { toAuthUser } from './users.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ListCursor {
  /** The GoTrue page (1-based) to fetch next. */
  p: number;
  /** The last user returned, so a page that shifted under inserts does not repeat it. */
  s: string;
}

function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(cursor: string): ListCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as ListCursor;
    if (Number.isInteger(parsed.p) && parsed.p >= 1 && typeof parsed.s === 'string') return parsed;
  } catch {
    // fall through to the typed error
  }
  throw errors.error('admin.listUsers', 'INVALID_INPUT', 'listUsers cursor must be the string returned by the previous page.');
}

/** GoTrue's admin API through supabase-js `auth.admin`, with the service-role key (input checked by the front layer). */
export class SupabaseAuthAdmin implements port.AuthAdminDriver {
  constructor(
    private readonly client: SupabaseClient,
    private readonly usersByEmail: (email: string) => Promise<User[]>,
  ) {}

  async createUser(input: port.CreateUserInput): Promise<port.AuthUser> {
    if (input.id !== undefined && !UUID.test(input.id)) {
      throw errors.error(
        'admin.createUser',
        'INVALID_INPUT',
        'A caller-chosen user id must be a UUID (the id your database already uses).',
      );
    }
    // GoTrue's POST /admin/users accepts `id`; auth-js passes the attributes through unchanged.
    const { data, error } = await this.client.auth.admin.createUser({
      email: input.email,
      email_confirm: input.emailVerified === true,
      user_metadata: { ...input.metadata },
      ...(input.id ? { id: input.id.toLowerCase() } : {}),
    });
    if (error || !data.user) throw mapAuthError('admin.createUser', error);
    return toAuthUser(data.user);
  }

  async getUser(id: string): Promise<port.AuthUser | null> {
    // GoTrue ids are UUIDs: any other id names no user.
    if (!UUID.test(id)) return null;
    const { data, error } = await this.client.auth.admin.getUserById(id.toLowerCase());
    if (error) {
      const mapped = mapAuthError('admin.getUser', error);
      if (mapped.code === 'NOT_FOUND') return null;
      throw mapped;
    }
    return data.user ? toAuthUser(data.user) : null;
  }

  async getUserByEmail(email: string): Promise<port.AuthUser | null> {
    // GoTrue's filter matches a substring; only the exact address is this user.
    const match = (await this.usersByEmail(email)).find((user) => user.email?.toLowerCase() === email);
    return match ? toAuthUser(match) : null;
  }

  async listUsers(options: port.ListUsersOptions & { limit: number }): Promise<port.UserPage> {
    const { limit } = options;
    const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const page = cursor?.p ?? 1;
    const { data, error } = await this.client.auth.admin.listUsers({ page, perPage: limit });
    if (error) throw mapAuthError('admin.listUsers', error);
    let users = data.users;
    // New users land on the first page (GoTrue lists newest first) and push older ones back:
    // skip what the previous page already returned.
    const seen = cursor ? users.findIndex((user) => user.id === cursor.s) : -1;
    if (seen >= 0) users = users.slice(seen + 1);
    const last = data.users.at(-1);
    // auth-js parses only the first digit of the Link header's page numbers, so `nextPage` is
    // wrong from page 10 on; a full page means another may follow.
    const more = data.users.length === limit && (data.total === 0 || page * limit < data.total);
    return { users: users.map(toAuthUser), cursor: more && last ? encodeCursor({ p: page + 1, s: last.id }) : undefined };
  }

  async updateUser(id: string, input: port.UpdateUserInput): Promise<port.AuthUser> {
    if (!UUID.test(id)) throw errors.error('admin.updateUser', 'NOT_FOUND', 'No user has this id.');
    const { email } = input;
    const metadata = input.metadata === undefined ? undefined : await this.replacementMetadata(id, input.metadata);
    const { data, error } = await this.client.auth.admin.updateUserById(id.toLowerCase(), {
      ...(email ? { email } : {}),
      ...(input.emailVerified !== undefined ? { email_confirm: input.emailVerified } : {}),
      ...(metadata ? { user_metadata: metadata } : {}),
    });
    if (error || !data.user) throw mapAuthError('admin.updateUser', error);
    return toAuthUser(data.user);
  }

  /** GoTrue merges `user_metadata` and deletes a key sent as null; the port replaces, so absent keys go as null. */
  private async replacementMetadata(id: string, next: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { data, error } = await this.client.auth.admin.getUserById(id.toLowerCase());
    if (error || !data.user) throw mapAuthError('admin.updateUser', error);
    const cleared = Object.fromEntries(Object.keys(data.user.user_metadata ?? {}).map((key) => [key, null]));
    return { ...cleared, ...next };
  }

  async deleteUser(id: string): Promise<void> {
    if (!UUID.test(id)) return;
    const { error } = await this.client.auth.admin.deleteUser(id.toLowerCase());
    if (error) {
      const mapped = mapAuthError('admin.deleteUser', error);
      if (mapped.code !== 'NOT_FOUND') throw mapped;
    }
  }
}
