import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisPubSub } from '@switchyard/aws/redis';
import { DualPubSub, SwitchyardError, sql } from '@switchyard/core';
import { createSupabaseRealtime } from '@switchyard/supabase/realtime';
import { REDIS_URL } from '@switchyard/test-peers/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from './drill/accounts.js';
import { type CliRun, switchyard } from './drill/cli.js';
import { Fleet } from './drill/fleet.js';
import { drillSeeds, faultPlan, Seeded } from './drill/seeded.js';
import { type DrillStack, seedWorld, startStack } from './drill/stack.js';
import { Traffic } from './drill/traffic.js';
import { Listener, type Phase } from './drill/workload.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The runbook of "Migrating with Switchyard", followed with the `switchyard` command against real
 * peers (the Supabase Storage server, Ceph RGW for S3, two PostgreSQL 15 clusters with logical
 * replication, Redis; Supabase Auth/Realtime and Cognito as the project's fakes) while seeded
 * traffic runs: storage overwrites and deletes racing the copies, reads of keys being overwritten,
 * chat rows in a bigserial table published to a steady subscriber, passwordless sign-ins sent at
 * one instance and entered at another. Every switch is a rolling redeploy (old and new instances
 * overlap while writes continue). Faults come from the seed: the storage shadow refuses for a
 * while, the primary database resets its connections, replication is slowed; the lazy migration
 * of a user meets a slow Supabase Auth. Replay a seed with SWITCHYARD_DRILL_SEED.
 */
describe('cutover drill on real peers: zero loss under rolling redeploys', () => {
  let stack: DrillStack;
  beforeAll(async () => {
    stack = await startStack();
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(drillSeeds())(
    'seed %i',
    async (seed) => {
      const started = Date.now();
      const random = new Seeded(seed);
      const faults = faultPlan(random);
      const world = await seedWorld(stack, seed, await mkdtemp(join(tmpdir(), `sy-drill-${seed}-`)));
      const phaseEnv = new Map<Phase, Record<string, string>>();
      for (const phase of [1, 2, 3, 4] as const) {
        const printed = (await switchyard(world.env, 'env', '--phase', String(phase), '--format', 'json')).json<
          Record<string, string | null>
        >();
        phaseEnv.set(phase, { ...world.env, ...Object.fromEntries(Object.entries(printed).map(([k, v]) => [k, v ?? ''])) });
      }
      const cli = (phase: Phase, ...argv: string[]) => switchyard(phaseEnv.get(phase)!, ...argv);
      const fleet = new Fleet((phase) => phaseEnv.get(phase)!);
      const room = `drill-${seed}`;
      const keys = Array.from({ length: 16 }, (_, i) => `photos/${seed}/${i}.jpg`);
      const traffic = new Traffic(fleet, random, room, keys);
      const accounts = new Accounts((issuer, email) =>
        issuer === 'supabase' ? stack.supabase.codeFor(email) : stack.cognito.codeFor(email),
      );
      const email = (name: string) => `${name}-${seed}@example.com`;
      const overlap = () => random.int(1000, 2000);
      const counts: Record<string, unknown> = { seed, faults };
      const timings: Record<string, number> = {};
      const mark = (name: string) => {
        timings[name] = Date.now() - started;
      };

      // A notification worker that is not redeployed: it hears both brokers through one DualPubSub.
      const steady = new DualPubSub({
        primary: await createSupabaseRealtime({ url: stack.supabase.env.SUPABASE_URL, key: stack.supabase.env.SUPABASE_SERVICE_ROLE_KEY }),
        shadow: await createRedisPubSub({ url: REDIS_URL, keyPrefix: `sy-drill-${seed}:` }),
        shadowTimeoutMs: 5_000,
      });
      const listener = new Listener(steady, room);
      await listener.start();

      try {
        // Phase 1: Supabase alone. The runbook: check, set up replication, check again.
        await fleet.start(1);
        traffic.start();
        for (const name of ['ann', 'ben', 'cat']) await accounts.mustSignIn(fleet, email(name));
        const blocked = (await cli(1, 'check', '--next', '--json')).json<{ blockers: { problem: string }[] }>();
        expect(blocked.blockers.map((b) => b.problem)).toContain('no publication at the source');
        expect((await cli(1, 'db', 'replicate')).code).toBe(0);
        expect((await cli(1, 'check', '--next')).code).toBe(0);
        mark('phase 1');

        // Phase 2: Supabase primary, AWS shadow.
        await fleet.roll(2, overlap());
        if (faults.replicationSlow) await world.replicationProxy.set('delay', { delayMs: 150 });
        if (faults.shadowDown) {
          await world.s3Proxy.set('refuse');
          await pause(random.int(800, 2000));
          await world.s3Proxy.set('pass');
        }
        if (faults.primaryBlip) {
          await world.appDbProxy.set('reset');
          await pause(300);
          await world.appDbProxy.set('pass');
        }
        for (const name of ['dan', 'eve']) await accounts.mustSignIn(fleet, email(name));
        const lateUpload = await fleet
          .newest()
          .providers.storage.createUploadUrl(`uploads/${seed}/late.jpg`, { contentType: 'image/jpeg', method: 'PUT' });
        // The runbook's copies, while the app writes: objects in two shards, then users.
        const copies = await Promise.all([
          cli(2, 'copy', 'objects', '--shard', '1/2', '--json'),
          cli(2, 'copy', 'objects', '--shard', '2/2', '--json'),
          cli(2, 'copy', 'users', '--json'),
        ]);
        counts.copies = copies.map((c) => c.json<{ counts: unknown }>().counts);
        await repairUntilClean(fleet);
        // Whatever verify finds goes to the gate below, which names the fix.
        counts.verify2 = [(await cli(2, 'verify', 'objects')).code, (await cli(2, 'verify', 'users')).code];
        await world.replicationProxy.set('pass');
        const before3 = (await cli(2, 'check', '--next', '--json')).json<{ blockers: { problem: string }[] }>();
        expect(before3.blockers.map((b) => b.problem)).toContain('the source still takes writes');
        // The database switch: the phase 2 instance's writes now fail retryably until phase 3 takes over.
        const switched = await cli(2, 'db', 'switch', '--json');
        expect(switched.code, switched.stdout).toBe(0);
        expect((await cli(2, 'verify', 'tables')).code).toBe(0);
        counts.gate3Rounds = await untilClear((...argv) => cli(2, ...argv), fleet);
        mark('phase 2');

        // Phase 3, rolling: a user signs up at the phase 2 instance during the overlap (known to Supabase only).
        const rolling = fleet.roll(3, overlap());
        await pause(200);
        const fay = await accounts.signIn(fleet.live[0]!, fleet.live[0]!, email('fay'));
        await rolling;
        await fleet.start(3);
        // The phase 2 upload URL is used after the switch; the phase 3 instances repair it from the old database's journal.
        const uploaded = await fetch(lateUpload.url, {
          method: lateUpload.method,
          headers: lateUpload.headers,
          body: new Uint8Array(3000).fill(7),
        });
        expect(uploaded.ok).toBe(true);
        // Lazy migration while Supabase Auth is slower than the shadow bound: it must fail closed, not split the user.
        stack.supabase.faults.authDelayMs = 2500;
        const slow = await accounts.signIn(fleet.live[0]!, fleet.live[1]!, email('fay'));
        stack.supabase.faults.authDelayMs = 0;
        counts.lazyMigrationWhileSlow = SwitchyardError.isInstance(slow) ? slow.code : 'signed in';
        if (!SwitchyardError.isInstance(fay)) await accounts.mustSignIn(fleet, email('fay'));
        for (const name of ['ann', 'gus']) await accounts.mustSignIn(fleet, email(name));
        counts.signOutsPhase3 = await accounts.unexpectedSignOuts(fleet.newest(), ['supabase', 'cognito']);
        await repairUntilClean(fleet);
        await cli(3, 'copy', 'objects');
        counts.verify3 = [(await cli(3, 'verify', 'objects')).code];
        await cli(3, 'copy', 'users');
        (counts.verify3 as number[]).push((await cli(3, 'verify', 'users')).code);
        counts.gate4Rounds = await untilClear((...argv) => cli(3, ...argv), fleet);
        mark('phase 3');

        // Phase 4: AWS alone.
        await fleet.roll(4, overlap());
        await fleet.start(4);
        for (const name of ['ben', 'hal']) await accounts.mustSignIn(fleet, email(name));
        await pause(500);
        await traffic.stop();
        counts.signOutsPhase4 = await accounts.unexpectedSignOuts(fleet.newest(), ['cognito']);
        mark('phase 4');

        // The invariants.
        const storage = fleet.newest().providers.storage;
        const lost: string[] = [];
        const reverted: string[] = [];
        for (const [key, state] of traffic.objects) {
          const head = await storage.head(key);
          if (state.bytes === null) {
            if (head) reverted.push(`${key}: deleted, but back`);
            continue;
          }
          if (!head) {
            lost.push(key);
            continue;
          }
          const object = await storage.get(key);
          const bytes = Buffer.from(await object.bytes());
          if (!bytes.equals(Buffer.from(state.bytes)) || object.info.contentType !== state.contentType)
            reverted.push(`${key}: v${state.version} expected`);
        }
        if (!(await storage.head(`uploads/${seed}/late.jpg`))) lost.push('the phase 2 signed upload');
        const rows = await fleet
          .newest()
          .providers.db.query<{ message_id: string }>(sql`select message_id from messages where room = ${room}`);
        const stored = new Set(rows.rows.map((r) => r.message_id));
        const missingRows = traffic.messages.filter((id) => !stored.has(id));
        const splits = [...accounts.splits];
        for (const [mail, id] of accounts.ids) {
          const user = await fleet.newest().providers.auth.admin.getUserByEmail(mail);
          if (user?.id !== id) splits.push(`${mail}: ${id} at first, ${user?.id ?? 'nobody'} at the end`);
        }
        await steady.primary.publish(room, { marker: 1 }, { id: `m1-${seed}` });
        await steady.shadow.publish(room, { marker: 2 }, { id: `m2-${seed}` });
        await listener.waitFor([...traffic.messages, `m1-${seed}`, `m2-${seed}`], 30_000).catch(() => undefined);
        const undelivered = traffic.messages.filter((id) => !listener.deliveries.has(id));
        const duplicated = traffic.messages.filter((id) => (listener.deliveries.get(id) ?? 0) > 1);
        Object.assign(counts, {
          objects: traffic.objects.size,
          lost: lost.length,
          reverted: reverted.length,
          rows: traffic.messages.length,
          missingRows: missingRows.length,
          users: accounts.ids.size,
          splits,
          signInFailures: accounts.failures,
          torn: `${traffic.torn} of ${traffic.reads} reads (${JSON.stringify(traffic.tornAt)})`,
          undelivered: undelivered.length,
          duplicated: duplicated.length,
          retried: traffic.log.retried,
          failedCalls: traffic.log.failed.slice(0, 5),
          divergences: fleet.divergences.length,
          seconds: Math.round((Date.now() - started) / 1000),
          timings,
        });
        console.log(`cutover drill seed ${seed}: ${JSON.stringify(counts)}`);
        expect({
          lost,
          reverted,
          missingRows,
          splits,
          undelivered,
          duplicated,
          torn: traffic.torn,
          failures: accounts.failures,
          failedCalls: traffic.log.failed,
        }).toEqual({
          lost: [],
          reverted: [],
          missingRows: [],
          splits: [],
          undelivered: [],
          duplicated: [],
          torn: 0,
          failures: [],
          failedCalls: [],
        });
        expect(counts.lazyMigrationWhileSlow).toBe('UNAVAILABLE');
        expect(counts.signOutsPhase3).toEqual([]);
        expect(counts.signOutsPhase4).toEqual([]);
      } finally {
        // What repair could not settle, and where the journal stands, for a failing seed's replay.
        counts.repairDivergences = fleet.divergences
          .filter((d) => d.operation === 'repair')
          .slice(0, 5)
          .map((d) => `${d.phase} ${d.key}: ${d.divergence} ${d.error?.message ?? ''}`.slice(0, 300));
        counts.journal = await Promise.all(
          [stack.source, stack.target].map((c) =>
            c
              .sql('select key, reason, attempts, keep_until from switchyard.repair_journal', [], `app_${seed}`)
              .catch((e: Error) => e.message),
          ),
        );
        console.log(`cutover drill seed ${seed} (replay with SWITCHYARD_DRILL_SEED=${seed}): ${JSON.stringify(counts)}`);
        await traffic.stop().catch(() => undefined);
        await Promise.allSettled([fleet.stop(), steady.close(), world.close()]);
      }
    },
    600_000,
  );
});

/**
 * The operator's loop at a gate: `check --next`, and for each blocker the fix it names (copy again,
 * verify again, let repair run), until nothing blocks; anything else is a failure of the runbook.
 */
async function untilClear(cli: (...argv: string[]) => Promise<CliRun>, fleet: Fleet): Promise<number> {
  for (let round = 0; ; round++) {
    const { blockers } = (await cli('check', '--next', '--json')).json<{ blockers: { problem: string; fix: string }[] }>();
    if (blockers.length === 0) return round;
    const fixes = blockers.map((b) => b.fix).join(' ');
    const fixable = /copy objects|verify objects|copy users|verify users|repair\(\)|verify tables/;
    if (round === 4 || !fixable.test(fixes)) throw new Error(`check --next still blocks (round ${round}): ${JSON.stringify(blockers)}`);
    if (/copy objects/.test(fixes)) await cli('copy', 'objects');
    if (/verify objects/.test(fixes)) await cli('verify', 'objects');
    if (/copy users/.test(fixes)) await cli('copy', 'users');
    if (/verify users/.test(fixes)) await cli('verify', 'users');
    if (/repair\(\)/.test(fixes)) await repairUntilClean(fleet);
    if (/verify tables/.test(fixes)) await cli('verify', 'tables');
  }
}

/** Runs repair() on the newest instance until nothing is pending but entries waiting for unused upload URLs. */
async function repairUntilClean(fleet: Fleet): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const { remaining } = await fleet.newest().providers.repair();
    if (remaining <= 1) return;
    await pause(500);
  }
}
