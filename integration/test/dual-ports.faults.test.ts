import { randomUUID } from 'node:crypto';
import { type DbPort, DualAuth, DualDb, DualPubSub, type Message, sql } from '@switchyard/core';
import { createLocalAuth, createLocalDb, createLocalPubSub, DevMailbox, LocalBroker } from '@switchyard/local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Divergences } from './events.js';
import { type Fault, FaultSwitch, withFaults } from './fault-injection.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

describe('DualPubSub', () => {
  async function setup() {
    const brokers = [new LocalBroker(), new LocalBroker()] as const;
    const faults = new FaultSwitch();
    const divergences = new Divergences();
    const shadow = await createLocalPubSub({ broker: brokers[1] });
    const dual = new DualPubSub({
      primary: await createLocalPubSub({ broker: brokers[0] }),
      shadow: withFaults(shadow, faults),
      shadowTimeoutMs: 300,
      onEvent: divergences.onEvent,
    });
    const outsider = await createLocalPubSub({ broker: brokers[1] });
    cleanups.push(async () => {
      faults.mode = 'none';
      await Promise.all([dual.close(), outsider.close()]);
    });
    return { dual, faults, divergences, outsider };
  }

  it('delivers each message once though both brokers carry it, and hears publishers on the shadow alone', async () => {
    const { dual, outsider } = await setup();
    const received: Message[] = [];
    await dual.subscribe('room', (m) => {
      received.push(m);
    });
    const sent = await dual.publish('room', 'both');
    await outsider.publish('room', 'again', { id: sent.id });
    await outsider.publish('room', 'from an app not yet moved');
    await until(() => received.length >= 2);
    await dual.publish('room', 'barrier');
    await until(() => received.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((m) => m.data)).toEqual(['both', 'from an app not yet moved', 'barrier']);
  });

  for (const fault of ['refuse', 'hang', 'error'] as Fault[]) {
    it(`keeps publishing and delivering through the primary while the shadow is down (${fault})`, async () => {
      const { dual, faults, divergences } = await setup();
      faults.mode = fault;
      const received: unknown[] = [];
      await dual.subscribe('down', (m) => {
        received.push(m.data);
      });
      await dual.publish('down', 1);
      await until(() => received.length === 1);
      expect(divergences.events.map((e) => e.operation)).toEqual(['subscribe', 'publish']);
      expect(divergences.events.every((e) => e.error?.code === 'UNAVAILABLE')).toBe(true);
    });
  }
});

describe('DualDb', () => {
  // PGlite takes seconds to start on a busy machine: one pair for the whole group, a table per test.
  let primary: DbPort;
  let shadowDb: DbPort;
  beforeAll(async () => {
    [primary, shadowDb] = await Promise.all([createLocalDb(), createLocalDb()]);
  });
  afterAll(async () => {
    await Promise.all([primary?.close(), shadowDb?.close()]);
  });

  async function setup(fault: Fault = 'none') {
    const faults = new FaultSwitch();
    const divergences = new Divergences();
    const dual = new DualDb({
      primary,
      shadow: withFaults(shadowDb, faults),
      reads: 'compare',
      sampleRate: 1,
      shadowTimeoutMs: 300,
      onEvent: divergences.onEvent,
    });
    const notes = sql.ident(`notes_${randomUUID().replaceAll('-', '')}`);
    for (const db of [primary, shadowDb]) await db.query(sql`create table ${notes} (id int primary key, body text)`);
    faults.mode = fault;
    cleanups.push(async () => {
      faults.mode = 'none';
      await dual.settled();
    });
    return { dual, notes, divergences };
  }

  it('writes to the primary only and reports reads whose results differ', async () => {
    const { dual, notes, divergences } = await setup();
    await dual.query(sql`insert into ${notes} values (1, 'a'), (2, 'b')`);
    expect((await shadowDb.query(sql`select * from ${notes}`)).rows).toEqual([]);
    await dual.query(sql`select * from ${notes}`);
    await dual.settled();
    expect(divergences.events.map((e) => e.divergence)).toEqual(['mirrored query returned different rows: 2 rows vs 0']);
    divergences.clear();
    await shadowDb.query(sql`insert into ${notes} values (2, 'b'), (1, 'a')`);
    await dual.query(sql`select * from ${notes}`);
    await dual.one(sql`select body from ${notes} where id = ${1}`);
    await dual.settled();
    expect(divergences.events).toEqual([]);
  });

  for (const fault of ['refuse', 'hang', 'error'] as Fault[]) {
    it(`answers from the primary while the shadow is down (${fault}) and reports the failed mirror`, async () => {
      const { dual, notes, divergences } = await setup(fault);
      await dual.query(sql`insert into ${notes} values (1, 'a')`);
      expect((await dual.one<{ body: string }>(sql`select body from ${notes} where id = ${1}`)).body).toBe('a');
      await dual.settled();
      expect(divergences.events.map((e) => [e.divergence, e.error?.code])).toEqual([
        ['the mirrored query failed at the shadow', 'UNAVAILABLE'],
      ]);
    });
  }
});

describe('DualAuth', () => {
  const ISSUERS = { primary: 'http://aws.test/auth', shadow: 'http://supabase.test/auth' };

  async function setup() {
    const mailbox = new DevMailbox();
    const shadowMailbox = new DevMailbox();
    const primary = await createLocalAuth({ mailbox, minIntervalMs: 0, issuer: ISSUERS.primary });
    const shadow = await createLocalAuth({ mailbox: shadowMailbox, minIntervalMs: 0, issuer: ISSUERS.shadow });
    const faults = new FaultSwitch();
    const divergences = new Divergences();
    const dual = new DualAuth({
      primary,
      shadow: withFaults(shadow, faults, ['admin']),
      issuers: ISSUERS,
      shadowTimeoutMs: 300,
      onEvent: divergences.onEvent,
    });
    cleanups.push(async () => {
      faults.mode = 'none';
      await dual.close();
    });
    const signIn = async (port: typeof primary | DualAuth, box: DevMailbox, email: string) => {
      await port.sendSignInEmail(email);
      return port.verifySignIn({ email, code: box.last(email)!.code! });
    };
    return { dual, primary, shadow, shadowMailbox, mailbox, faults, divergences, signIn };
  }

  it('verifies sessions from both providers by their issuer, refreshes either, and refuses other issuers', async () => {
    const { dual, shadow, shadowMailbox, mailbox, signIn } = await setup();
    const old = await signIn(shadow, shadowMailbox, `old-${randomUUID()}@example.com`);
    const fresh = await signIn(dual, mailbox, `new-${randomUUID()}@example.com`);
    expect((await dual.verifyAccessToken(old.accessToken)).id).toBe(old.user.id);
    expect((await dual.verifyAccessToken(fresh.accessToken)).id).toBe(fresh.user.id);
    expect((await dual.refresh(old.refreshToken)).user.id).toBe(old.user.id);
    const forged = await shadow.signTestToken(old.user.id, { iss: 'http://elsewhere.test/auth' });
    await expect(dual.verifyAccessToken(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid' });
  });

  it('creates a shadow-only user at the primary with the same id on first sign-in', async () => {
    const { dual, primary, shadow, mailbox, signIn, divergences } = await setup();
    const email = `migrating-${randomUUID()}@example.com`;
    const existing = await shadow.admin.createUser({ email, emailVerified: true, metadata: { plan: 'pro' } });
    const session = await signIn(dual, mailbox, email);
    expect(session.user.id).toBe(existing.id);
    expect(await primary.admin.getUser(existing.id)).toMatchObject({ email, metadata: { plan: 'pro' } });
    expect(divergences.events.map((e) => e.divergence)).toEqual([
      'the user existed only in the shadow; created at the primary with the same id',
    ]);
  });

  it('accepts a magic link the shadow sent before the switch, as a rolling redeploy leaves them', async () => {
    const { dual, shadow, shadowMailbox } = await setup();
    const email = `straddling-${randomUUID()}@example.com`;
    // Sent by an instance of the previous phase, whose primary was the current shadow.
    await shadow.sendSignInEmail(email);
    const link = shadowMailbox.last(email);
    expect(link?.tokenHash).toBeTruthy();
    const session = await dual.verifySignIn({ tokenHash: link!.tokenHash! });
    expect(session.user.email).toBe(email);
    expect((await dual.verifyAccessToken(session.accessToken)).email).toBe(email);
    await expect(dual.verifySignIn({ tokenHash: 'not-a-token-anyone-issued' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('sends admin writes to both sides with one id', async () => {
    const { dual, shadow } = await setup();
    const user = await dual.admin.createUser({ email: `both-${randomUUID()}@example.com` });
    expect((await shadow.admin.getUser(user.id))?.email).toBe(user.email);
    await dual.admin.updateUser(user.id, { metadata: { plan: 'team' } });
    expect((await shadow.admin.getUser(user.id))?.metadata).toEqual({ plan: 'team' });
    await dual.admin.deleteUser(user.id);
    expect(await shadow.admin.getUser(user.id)).toBeNull();
  });

  for (const fault of ['refuse', 'hang', 'error'] as Fault[]) {
    it(`signs known users in at the primary while the shadow is down (${fault}), and refuses to split an unknown one`, async () => {
      const { dual, primary, mailbox, faults, divergences, signIn } = await setup();
      const known = `known-${randomUUID()}@example.com`;
      await primary.admin.createUser({ email: known, emailVerified: true });
      faults.mode = fault;
      const session = await signIn(dual, mailbox, known);
      expect((await dual.verifyAccessToken(session.accessToken)).id).toBe(session.user.id);

      // The shadow may know this address under another id: creating it now would split the identity.
      const unknown = `unknown-${randomUUID()}@example.com`;
      const refused = await dual.sendSignInEmail(unknown).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      expect(await primary.admin.getUserByEmail(unknown)).toBeNull();
      expect(mailbox.last(unknown)).toBeUndefined();
      await expect(dual.admin.createUser({ email: `admin-${randomUUID()}@example.com` })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        retryable: true,
      });
      expect(divergences.events.length).toBeGreaterThan(0);
      expect(divergences.events.every((e) => e.error?.code === 'UNAVAILABLE')).toBe(true);

      faults.mode = 'none';
      const later = await signIn(dual, mailbox, unknown);
      expect(later.user.email).toBe(unknown);
    });
  }

  it('keeps the id of a shadow user whose lookup is slower than the bound: refuses, then migrates on retry', async () => {
    const { dual, primary, shadow, mailbox, faults, signIn } = await setup();
    const email = `slow-${randomUUID()}@example.com`;
    const existing = await shadow.admin.createUser({ email, emailVerified: true });
    faults.mode = 'hang';
    await expect(dual.sendSignInEmail(email)).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(await primary.admin.getUserByEmail(email)).toBeNull();
    faults.mode = 'none';
    const session = await signIn(dual, mailbox, email);
    expect(session.user.id).toBe(existing.id);
  });
});
