import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JWK } from 'jose';

export interface UserRecord {
  id: string;
  email: string;
  emailVerified: boolean;
  metadata: Record<string, unknown>;
  createdAt: number;
}

/** An outstanding sign-in email. Only hashes of the code and link token are kept. */
export interface PendingSignIn {
  email: string;
  codeHash: string;
  tokenHash: string;
  expiresAt: number;
  used: boolean;
  failedAttempts: number;
  sentAt: number;
}

export interface SessionRecord {
  id: string;
  userId: string;
  revoked: boolean;
  method: 'otp' | 'magiclink';
  createdAt: number;
}

export interface RefreshRecord {
  sessionId: string;
  used: boolean;
}

interface Snapshot {
  users: UserRecord[];
  sessions: SessionRecord[];
  refresh: [string, RefreshRecord][];
  privateJwk?: JWK;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** LocalAuth's state, in memory, optionally mirrored to a JSON file so a restart keeps users and sessions. */
export class AuthStore {
  readonly users = new Map<string, UserRecord>();
  readonly userIdByEmail = new Map<string, string>();
  /** Keyed by email; a new email replaces the previous one. */
  readonly pending = new Map<string, PendingSignIn>();
  readonly sessions = new Map<string, SessionRecord>();
  /** Keyed by the hash of the refresh token. */
  readonly refresh = new Map<string, RefreshRecord>();
  privateJwk: JWK | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dataFile?: string) {}

  async load(): Promise<void> {
    if (!this.dataFile) return;
    const text = await readFile(this.dataFile, 'utf8').catch(() => undefined);
    if (!text) return;
    const snapshot = JSON.parse(text) as Snapshot;
    for (const user of snapshot.users) this.putUser(user);
    for (const session of snapshot.sessions) this.sessions.set(session.id, session);
    for (const [hash, record] of snapshot.refresh) this.refresh.set(hash, record);
    this.privateJwk = snapshot.privateJwk;
  }

  putUser(user: UserRecord): void {
    const previous = this.users.get(user.id);
    if (previous && previous.email !== user.email) this.userIdByEmail.delete(previous.email);
    this.users.set(user.id, user);
    this.userIdByEmail.set(user.email, user.id);
  }

  removeUser(id: string): void {
    const user = this.users.get(id);
    if (!user) return;
    this.users.delete(id);
    this.userIdByEmail.delete(user.email);
    this.pending.delete(user.email);
  }

  userByEmail(email: string): UserRecord | undefined {
    const id = this.userIdByEmail.get(email);
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Writes the snapshot atomically (temp file + rename); writes are serialised. */
  persist(): Promise<void> {
    const file = this.dataFile;
    if (!file) return Promise.resolve();
    const snapshot: Snapshot = {
      users: [...this.users.values()],
      sessions: [...this.sessions.values()],
      refresh: [...this.refresh.entries()],
      ...(this.privateJwk ? { privateJwk: this.privateJwk } : {}),
    };
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(snapshot), { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    });
    return this.writing;
  }
}
