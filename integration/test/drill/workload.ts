import { randomBytes, randomUUID } from 'node:crypto';
import { type Message, type Providers, type PubSubPort, type Session, sql } from '@switchyard/core';

export type Phase = 1 | 2 | 3 | 4;

/** What the workload wrote, so the end of the drill can check every item at the final primary. */
export interface WrittenObject {
  key: string;
  bytes: Uint8Array;
  contentType: string;
  phase: Phase;
}

export interface IssuedSession {
  label: string;
  phase: Phase;
  /** Who issued it: Supabase Auth (GoTrue) or Cognito. */
  issuer: 'supabase' | 'cognito';
  userId: string;
  session: Session;
}

export interface ChatMessage {
  id: string;
  author: string;
  body: string;
  phase: Phase;
}

/** Where the sign-in code of the current primary auth provider lands (the test's mailbox). */
export type Mailbox = (email: string) => string;

/**
 * The scripted app: profile photos (put and signed upload URL), passwordless sign-ins, chat
 * messages stored through the DbPort and announced through the PubSubPort. Every call goes through
 * the ports of the current deployment only; what it wrote is recorded for the final checks.
 */
export class Workload {
  readonly objects = new Map<string, WrittenObject>();
  /** Email → application id, as the app first learned it. */
  readonly users = new Map<string, string>();
  readonly sessions: IssuedSession[] = [];
  readonly messages: ChatMessage[] = [];

  constructor(readonly room: string) {}

  async signIn(
    providers: Providers,
    phase: Phase,
    email: string,
    mailbox: Mailbox,
    issuer: IssuedSession['issuer'],
  ): Promise<IssuedSession> {
    await providers.auth.sendSignInEmail(email);
    const session = await providers.auth.verifySignIn({ email, code: mailbox(email) });
    const known = this.users.get(email);
    if (known !== undefined && known !== session.user.id) {
      throw new Error(`${email} signed in as ${session.user.id} in phase ${phase}, but their application id is ${known}`);
    }
    this.users.set(email, session.user.id);
    const issued = { label: `${email} (phase ${phase})`, phase, issuer, userId: session.user.id, session };
    this.sessions.push(issued);
    return issued;
  }

  async createUserByAdmin(providers: Providers, email: string): Promise<string> {
    const user = await providers.auth.admin.createUser({ email, emailVerified: true });
    this.users.set(email, user.id);
    return user.id;
  }

  private photo(phase: Phase, userId: string, how: string): WrittenObject {
    return {
      key: `avatars/${userId}/phase${phase}-${how}-${randomBytes(3).toString('hex')}.png`,
      bytes: randomBytes(2048),
      contentType: 'image/png',
      phase,
    };
  }

  async uploadWithPut(providers: Providers, phase: Phase, userId: string): Promise<WrittenObject> {
    const object = this.photo(phase, userId, 'put');
    await providers.storage.put(object.key, object.bytes, { contentType: object.contentType, metadata: { owner: userId } });
    this.objects.set(object.key, object);
    return object;
  }

  /** Issues a signed upload URL; the returned function is the browser's upload, which may come later. */
  async issueUploadUrl(providers: Providers, phase: Phase, userId: string): Promise<{ object: WrittenObject; upload(): Promise<void> }> {
    const object = this.photo(phase, userId, 'signed');
    const target = await providers.storage.createUploadUrl(object.key, { contentType: object.contentType, method: 'PUT' });
    const upload = async () => {
      const response = await fetch(target.url, { method: target.method, headers: target.headers, body: Buffer.from(object.bytes) });
      if (!response.ok) throw new Error(`signed upload of ${object.key} answered ${response.status}: ${await response.text()}`);
      this.objects.set(object.key, object);
    };
    return { object, upload };
  }

  async uploadWithSignedUrl(providers: Providers, phase: Phase, userId: string): Promise<WrittenObject> {
    const { object, upload } = await this.issueUploadUrl(providers, phase, userId);
    await upload();
    return object;
  }

  async chat(providers: Providers, phase: Phase, author: string, body: string): Promise<ChatMessage> {
    const message = { id: randomUUID(), author, body, phase };
    await providers.db.query(
      sql`insert into messages (id, room, author_id, body) values (${message.id}, ${this.room}, ${author}, ${body})`,
    );
    await providers.pubsub.publish(this.room, { author, body }, { id: message.id });
    this.messages.push(message);
    return message;
  }
}

/** A subscriber that counts every delivery by message id. */
export class Listener {
  readonly deliveries = new Map<string, number>();

  constructor(
    private readonly pubsub: PubSubPort,
    private readonly room: string,
  ) {}

  async start(): Promise<void> {
    await this.pubsub.subscribe(this.room, (message: Message) => {
      this.deliveries.set(message.id, (this.deliveries.get(message.id) ?? 0) + 1);
    });
  }

  /** Polls until every id has arrived at least once; fails with the missing ids after `timeoutMs`. */
  async waitFor(ids: readonly string[], timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = ids.filter((id) => !this.deliveries.has(id));
      if (missing.length === 0) return;
      if (Date.now() > deadline) throw new Error(`messages never delivered: ${missing.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
