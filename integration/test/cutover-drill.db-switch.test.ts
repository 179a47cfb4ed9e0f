import { sql } from '@switchyard/core';
import { createSupabaseDb } from '@switchyard/supabase/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { switchyard } from './drill/cli.js';
import { type Cluster, startCluster } from './drill/clusters.js';

const SCHEMA = `
  create table messages (id bigserial primary key, room text not null, body text not null, sent_at timestamptz not null default now());
  create table profiles (user_id uuid primary key, name text, location geography(point));`;

interface CheckJson {
  blockers: { port: string; next: number; problem: string }[];
}

/**
 * The database half of the runbook on two real PostgreSQL 15 clusters with logical replication:
 * the `switchyard` command sets up replication, then freezes the old primary, waits, syncs
 * sequences and reverses the direction. What it proves: holes 1 (the journal must not be
 * replicated) and 2 (sequences are not replicated) of issue 11 are caught by `check --next`, an
 * app write to the frozen primary is a retryable UNAVAILABLE, and a subscription's apply worker
 * at the frozen database still applies the new primary's writes.
 */
describe('switchyard db: replicate, switch, reverse on real logical replication', () => {
  let source: Cluster;
  let target: Cluster;
  let env: Record<string, string>;

  beforeAll(async () => {
    [source, target] = await Promise.all([startCluster('source'), startCluster('target')]);
    await Promise.all([source.sql('create database app'), target.sql('create database app')]);
    await source.sql(`create extension postgis; ${SCHEMA}`, [], 'app');
    env = {
      SWITCHYARD_MIGRATE_FROM: 'supabase',
      SWITCHYARD_MIGRATE_TO: 'aws',
      SWITCHYARD_MIGRATE_PORTS: 'db',
      SWITCHYARD_MIGRATE_DIR: `/tmp/sy-db-switch-${process.pid}`,
      SWITCHYARD_DB: 'supabase',
      SUPABASE_DB_URL: source.url('app'),
      DATABASE_URL: target.url('app'),
    };
  }, 180_000);
  afterAll(async () => {
    await Promise.allSettled([source?.stop(), target?.stop()]);
  });

  it('phase 1 → 2: check lists every blocker at once; db replicate and the schema at the target clear them', async () => {
    // A FOR ALL TABLES publication would carry the repair journal (hole 1).
    await source.sql(
      'create schema switchyard; create table switchyard.repair_journal (port text, key text, primary key (port, key)); create publication everything for all tables',
      [],
      'app',
    );
    const blocked = await switchyard(env, 'check', '--next', '--json');
    expect(blocked.code).toBe(1);
    const problems = blocked.json<CheckJson>().blockers.map((b) => b.problem);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/extension postgis is installed at the source, not at the target/),
        expect.stringMatching(/tables missing at the target: public.messages, public.profiles/),
        expect.stringMatching(/repair journal .* is published by everything/),
        'no publication at the source',
        'the target does not subscribe to the source',
      ]),
    );
    await source.sql('drop publication everything', [], 'app');
    await target.sql(`create extension postgis; ${SCHEMA}`, [], 'app');
    expect((await switchyard(env, 'db', 'replicate')).code).toBe(0);
    expect((await switchyard(env, 'db', 'replicate', '--json')).json()).toEqual({ publication: false, subscription: false });
    const clear = await switchyard(env, 'check', '--next', '--json');
    expect(clear.json<CheckJson>().blockers).toEqual([]);
  }, 120_000);

  it('phase 2 → 3: writes replicate; sequences behind block; db switch freezes, catches up, syncs and reverses', async () => {
    // The app of phase 2, with a pooled connection open.
    const app = await createSupabaseDb({ connectionString: source.url('app') });
    await app.query(sql`select 1`);
    for (let i = 0; i < 50; i++) await source.sql('insert into messages (room, body) values ($1, $2)', ['r', `before ${i}`], 'app');
    const env2 = { ...env, SWITCHYARD_DB_SHADOW: 'aws' };
    const status = await switchyard(env2, 'status', '--json');
    const db = status.json<{ ports: { port: string; phase: number; sequencesBehind: unknown[] }[] }>().ports[0]!;
    expect(db.phase).toBe(2);
    // Logical replication never copies sequence values (hole 2).
    expect(db.sequencesBehind).toEqual([expect.objectContaining({ sequence: 'public.messages_id_seq', source: '50' })]);
    const blocked = (await switchyard(env2, 'check', '--next', '--json')).json<CheckJson>().blockers.map((b) => b.problem);
    expect(blocked).toEqual(
      expect.arrayContaining(['the source still takes writes', expect.stringMatching(/target sequences are behind/)]),
    );

    const switched = await switchyard(env2, 'db', 'switch', '--json', '--margin', '100', '--timeout', '30');
    expect(switched.code, `${switched.stdout}\n${switched.stderr}`).toBe(0);
    expect(switched.json()).toMatchObject({
      catchUp: { caughtUp: true },
      sequences: { changed: [{ sequence: 'public.messages_id_seq', setTo: '150' }] },
    });
    // The app's pooled connections were ended; its next write is refused, retryably.
    const refused: unknown[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      refused.push(
        await app.query(sql`insert into messages (room, body) values ('r', ${'after freeze'})`).catch((error: unknown) => error),
      );
    }
    expect(refused).toEqual(refused.map(() => expect.objectContaining({ code: 'UNAVAILABLE', retryable: true })));
    expect(refused.at(-1)).toMatchObject({ details: { sqlstate: '25006' } });
    await app.close();

    // Phase 3: the new primary takes writes with ids past the old ones, and the frozen old primary
    // still receives them through its subscription (the apply worker is not read-only).
    for (let i = 0; i < 20; i++) await target.sql('insert into messages (room, body) values ($1, $2)', ['r', `phase 3 ${i}`], 'app');
    await waitFor(async () => Number((await source.sql<{ n: string }>('select count(*) as n from messages', [], 'app'))[0]?.n) === 70);
    const ids = await target.sql<{ id: string }>("select id from messages where body like 'phase 3%' order by id", [], 'app');
    expect(Number(ids[0]?.id)).toBeGreaterThan(150);
    const env3 = { ...env, SWITCHYARD_DB: 'aws', SWITCHYARD_DB_SHADOW: 'supabase' };
    const verified = await switchyard(env3, 'verify', 'tables', '--json');
    expect(verified.json()).toMatchObject({ differing: 0, done: true });
    expect((await switchyard(env3, 'check', '--next', '--json')).json<CheckJson>().blockers).toEqual([]);
  }, 180_000);
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for replication');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
