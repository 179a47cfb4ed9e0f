import { randomBytes } from 'node:crypto';
import { createRedisPubSub } from '@switchyard/aws/redis';
import {
  type AuthPort,
  backfillStorage,
  backfillUsers,
  createProviders,
  type DivergenceEvent,
  DualAuth,
  DualPubSub,
  DualStorage,
  type Providers,
  type PubSubPort,
  type StoragePort,
  sql,
} from '@switchyard/core';
import { createSupabaseRealtime } from '@switchyard/supabase/realtime';
import { REDIS_URL } from '@switchyard/test-peers/redis';
import { S3RVER_CREDENTIALS, type S3rver, startS3rver } from '@switchyard/test-peers/s3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoPool, startCognitoPool } from './drill/cognito.js';
import { createDrillDatabases, type DrillDatabases } from './drill/databases.js';
import { PHASE_FLAGS } from './drill/phases.js';
import { type SupabaseProject, startSupabaseProject } from './drill/supabase-project.js';
import { Listener, type Phase, Workload, type WrittenObject } from './drill/workload.js';

/**
 * The four phases' dual-run behaviour, phase by phase, on local peers and fakes only (the runbook
 * of "Migrating with Switchyard" with the switchyard command, rolling redeploys and real logical
 * replication runs in cutover-drill.peers.test.ts): one app moves every port from Supabase to AWS
 * while a scripted workload runs. Each phase is a redeploy: providers are created
 * from the environment by createProviders, and the previous deployment is closed. Peers: s3rver
 * behind a SigV4 gate, two PostgreSQL databases (one bootstrapped like Supabase, one playing
 * RDS), Redis, cognito-local behind the test proxy, and the Supabase fakes behind one project URL.
 *
 * The chat listener models a separate, long-running consumer (a notification worker) that is not
 * redeployed with the app: it listens to both brokers for the whole migration through a
 * DualPubSub over a Realtime port and a Redis port it opened once. Whatever broker each app
 * deployment publishes to (Supabase, both, Redis), it hears every message, and the DualPubSub's
 * dedup window hands each message id to the handler once.
 */
describe('cutover drill: Supabase → AWS in four phases', () => {
  let s3: S3rver;
  let supabase: SupabaseProject;
  let cognito: CognitoPool;
  let databases: DrillDatabases;
  let listenerPorts: DualPubSub;
  let listener: Listener;
  let deployment: Providers | undefined;
  const room = `chat-${randomBytes(4).toString('hex')}`;
  const redisPrefix = `sy-drill-${randomBytes(4).toString('hex')}:`;
  const work = new Workload(room);
  const divergences: (DivergenceEvent & { phase: Phase })[] = [];

  const env = (phase: Phase) => ({
    ...PHASE_FLAGS[phase],
    SWITCHYARD_SHADOW_TIMEOUT_MS: '10000',
    ...supabase.env,
    SUPABASE_DB_URL: databases.supabaseUrl,
    ...cognito.env,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_S3_BUCKET: s3.bucket,
    AWS_S3_ENDPOINT: s3.endpoint,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    // s3rver refuses the CRC checksums the SDK sends by default.
    AWS_S3_CHECKSUMS: 'when_required',
    DATABASE_URL: databases.rdsUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: redisPrefix,
  });

  /** A redeploy: the new deployment starts from the environment, then the old one is closed. */
  async function redeploy(phase: Phase): Promise<Providers> {
    const next = await createProviders({
      env: env(phase),
      onEvent: (event) => {
        if (event.type === 'divergence') divergences.push({ ...event, phase });
      },
    });
    await deployment?.close();
    deployment = next;
    return next;
  }

  const mailbox = (phase: Phase) => (phase <= 2 ? supabase.codeFor : cognito.codeFor);
  const saw = (phase: Phase, divergence: string, key?: string) =>
    divergences.some((e) => e.phase === phase && e.divergence === divergence && (key === undefined || e.key === key));

  function sides<T extends StoragePort | AuthPort>(port: T): { primary: T; shadow: T } {
    if (!(port instanceof DualStorage) && !(port instanceof DualAuth)) throw new Error(`${port.provider} is not running dual`);
    return port as unknown as { primary: T; shadow: T };
  }

  /** Every session issued in an earlier phase verifies through this deployment, as its own user. */
  async function expectEarlierSessionsVerify(providers: Providers, phase: Phase, issuers: ('supabase' | 'cognito')[]) {
    const earlier = work.sessions.filter((s) => s.phase < phase && issuers.includes(s.issuer));
    expect(earlier.length).toBeGreaterThan(0);
    for (const { session, userId, label } of earlier) {
      const user = await providers.auth.verifyAccessToken(session.accessToken);
      expect(user.id, label).toBe(userId);
    }
  }

  async function expectAt(storage: StoragePort, object: WrittenObject): Promise<void> {
    const stored = await storage.get(object.key);
    expect(Buffer.from(await stored.bytes()).equals(Buffer.from(object.bytes)), object.key).toBe(true);
    expect(stored.info.contentType).toBe(object.contentType);
  }

  beforeAll(async () => {
    [s3, supabase, cognito, databases] = await Promise.all([
      startS3rver(),
      startSupabaseProject(),
      startCognitoPool(),
      createDrillDatabases(),
    ]);
    const realtime = await createSupabaseRealtime({ url: supabase.env.SUPABASE_URL, key: supabase.env.SUPABASE_SERVICE_ROLE_KEY });
    const redis: PubSubPort = await createRedisPubSub({ url: REDIS_URL, keyPrefix: redisPrefix });
    listenerPorts = new DualPubSub({ primary: realtime, shadow: redis, shadowTimeoutMs: 10_000 });
    listener = new Listener(listenerPorts, room);
    await listener.start();
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([deployment?.close(), listenerPorts?.close()]);
    await Promise.allSettled([s3?.stop(), supabase?.stop(), cognito?.stop(), databases?.drop()]);
  });

  it('phase 1 — Supabase alone', async () => {
    const p = await redeploy(1);
    expect([p.storage.provider, p.auth.provider, p.db.provider, p.pubsub.provider]).toEqual([
      'supabase',
      'supabase',
      'supabase',
      'supabase',
    ]);
    const alice = await work.signIn(p, 1, 'alice@example.com', mailbox(1), 'supabase');
    const bob = await work.signIn(p, 1, 'bob@example.com', mailbox(1), 'supabase');
    await work.uploadWithPut(p, 1, alice.userId);
    await work.uploadWithSignedUrl(p, 1, bob.userId);
    await work.chat(p, 1, alice.userId, 'hello from phase 1');
    await work.chat(p, 1, bob.userId, 'hi alice');
  }, 60_000);

  let lateUpload: Awaited<ReturnType<Workload['issueUploadUrl']>>;

  it('phase 2 — Supabase primary, AWS shadow; existing objects and users imported before phase 3', async () => {
    const p = await redeploy(2);
    expect(p.storage.provider).toBe('supabase+aws');
    await expectEarlierSessionsVerify(p, 2, ['supabase']);
    const storage = sides(p.storage);
    const auth = sides(p.auth);

    const carol = await work.signIn(p, 2, 'carol@example.com', mailbox(2), 'supabase');
    const dave = await work.createUserByAdmin(p, 'dave@example.com');
    // Admin writes reach Cognito with the same application id.
    expect((await auth.shadow.admin.getUser(dave))?.email).toBe('dave@example.com');
    const put = await work.uploadWithPut(p, 2, carol.userId);
    expect(await storage.shadow.head(put.key)).not.toBeNull();
    const signed = await work.uploadWithSignedUrl(p, 2, carol.userId);
    // Signed uploads reach only the primary; the journal lets repair() copy them.
    expect(await p.repair()).toEqual({ repaired: 1, remaining: 0 });
    await expectAt(storage.shadow, signed);
    await work.chat(p, 2, carol.userId, 'hello from phase 2');
    await work.chat(p, 2, dave, 'hi carol');

    // The runbook's one-off copies before phase 3: what existed before dual-run began.
    const objects = await backfillStorage({ from: storage.primary, to: storage.shadow, prefix: 'avatars/' });
    expect(objects).toEqual({ examined: 4, copied: 2, skipped: 2, keptNewer: 0, failed: [] });
    const users = await backfillUsers({ from: auth.primary, to: auth.shadow });
    expect(users).toEqual({ examined: 4, created: 3, skipped: 1, failed: [] });

    // Phase 2 keeps serving after the import: a new user signs up at Supabase (Cognito will get
    // them lazily), and a client gets an upload URL it will only use after the switch.
    await work.signIn(p, 2, 'lena@example.com', mailbox(2), 'supabase');
    lateUpload = await work.issueUploadUrl(p, 2, work.users.get('lena@example.com')!);
  }, 60_000);

  it('phase 3 — AWS primary, Supabase shadow: old sessions, lazy migration, fallback reads', async () => {
    // The switch, as the runbook says: writes pause (the workload is sequential, so nothing runs
    // here) and the database "replication" catches up before the redeploy.
    expect(await databases.replicateMessages()).toBe(4);
    const p = await redeploy(3);
    expect(p.auth.provider).toBe('aws+supabase');
    // Supabase sessions issued before the switch verify through their issuer.
    await expectEarlierSessionsVerify(p, 3, ['supabase']);
    // A refresh token Cognito does not know is offered to Supabase, which issued it.
    const carol = work.sessions.find((s) => s.label === 'carol@example.com (phase 2)')!;
    const refreshed = await p.auth.refresh(carol.session.refreshToken);
    expect((await p.auth.verifyAccessToken(refreshed.accessToken)).id).toBe(carol.userId);
    const storage = sides(p.storage);

    // The phase 2 upload URL lands at Supabase after the switch; the journal entry that would have
    // repaired it lived in the old deployment's memory. The fallback read serves it and copies it forward.
    await lateUpload.upload();
    await expectAt(p.storage, lateUpload.object);
    expect(saw(3, 'missing in the primary; served from the shadow', lateUpload.object.key)).toBe(true);
    await (p.storage as DualStorage).settled();
    await expectAt(storage.primary, lateUpload.object);

    // Imported users sign in at Cognito with the id their data uses (checked by the workload).
    await work.signIn(p, 3, 'alice@example.com', mailbox(3), 'cognito');
    // Lena was not imported: created at Cognito, same id, the moment she asks to sign in.
    await work.signIn(p, 3, 'lena@example.com', mailbox(3), 'cognito');
    expect(saw(3, 'the user existed only in the shadow; created at the primary with the same id')).toBe(true);
    const nina = await work.signIn(p, 3, 'nina@example.com', mailbox(3), 'cognito');

    const put = await work.uploadWithPut(p, 3, nina.userId);
    expect(await storage.shadow.head(put.key)).not.toBeNull();
    const signed = await work.uploadWithSignedUrl(p, 3, nina.userId);
    await work.chat(p, 3, nina.userId, 'hello from phase 3');
    await work.chat(p, 3, work.users.get('lena@example.com')!, 'hi nina');

    // Before phase 4: the journal is empty and a second import finds nothing left to copy.
    expect(await p.repair()).toEqual({ repaired: 1, remaining: 0 });
    await expectAt(storage.shadow, signed);
    const auth = sides(p.auth);
    expect(await backfillStorage({ from: storage.shadow, to: storage.primary })).toMatchObject({ copied: 0, failed: [] });
    expect(await backfillUsers({ from: auth.shadow, to: auth.primary })).toMatchObject({ created: 0, failed: [] });
  }, 60_000);

  it('phase 4 — AWS alone: Cognito sessions still verify, Supabase sessions are refused', async () => {
    const p = await redeploy(4);
    expect([p.storage.provider, p.auth.provider, p.db.provider, p.pubsub.provider]).toEqual(['aws', 'aws', 'aws', 'aws']);
    await expectEarlierSessionsVerify(p, 4, ['cognito']);
    // The runbook enters phase 4 only once every Supabase session has expired; with Supabase gone
    // from the configuration, any that had not are refused, as a real cutover refuses them.
    for (const { session, label } of work.sessions.filter((s) => s.issuer === 'supabase')) {
      await expect(p.auth.verifyAccessToken(session.accessToken), label).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    // Bob was imported and never signed in during phase 3.
    await work.signIn(p, 4, 'bob@example.com', mailbox(4), 'cognito');
    const paul = await work.signIn(p, 4, 'paul@example.com', mailbox(4), 'cognito');
    await work.uploadWithPut(p, 4, paul.userId);
    await work.uploadWithSignedUrl(p, 4, paul.userId);
    await work.chat(p, 4, paul.userId, 'hello from phase 4');
    await work.chat(p, 4, work.users.get('bob@example.com')!, 'hi paul');
  }, 60_000);

  it('at the end, everything written in any phase is at AWS and every message was delivered once', async () => {
    const p = deployment!;
    expect(new Set([...work.objects.values()].map((o) => o.phase))).toEqual(new Set([1, 2, 3, 4]));
    for (const object of work.objects.values()) await expectAt(p.storage, object);

    expect(work.users.size).toBe(7);
    for (const [email, id] of work.users) {
      expect((await p.auth.admin.getUser(id))?.email, email).toBe(email);
      expect((await p.auth.admin.getUserByEmail(email))?.id, email).toBe(id);
    }

    const stored = await p.db.query<{ id: string }>(sql`select id from messages where room = ${room}`);
    const sent = work.messages.map((m) => m.id);
    expect(stored.rows.map((r) => r.id).sort()).toEqual([...sent].sort());

    // Each broker delivers in order, so once a marker published last on each has arrived, any
    // second copy of an earlier message has arrived too (and was dropped, or counted).
    const markers = [`marker-${randomBytes(4).toString('hex')}`, `marker-${randomBytes(4).toString('hex')}`];
    await listenerPorts.primary.publish(room, { marker: true }, { id: markers[0] });
    await listenerPorts.shadow.publish(room, { marker: true }, { id: markers[1] });
    await listener.waitFor([...sent, ...markers]);
    expect(Object.fromEntries(sent.map((id) => [id, listener.deliveries.get(id)]))).toEqual(Object.fromEntries(sent.map((id) => [id, 1])));
    expect([...listener.deliveries.keys()].sort()).toEqual([...sent, ...markers].sort());
  }, 60_000);
});
