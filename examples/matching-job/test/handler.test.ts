import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@switchyard/core';
import { sql } from '@switchyard/core';
import type { ScheduledEvent } from 'aws-lambda';
import { createAppDatabase, seedLocalDatabase } from 'community-app/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../src/handler.js';
import { closeSharedProviders, sharedProviders } from '../src/providers.js';
import recorded from './events/scheduled-event.json' with { type: 'json' };
import { addMembers } from './members.js';

// Counts how often the ports are opened: once per execution environment, not per invocation.
vi.mock('@switchyard/core', async (importOriginal) => {
  const original = await importOriginal<typeof core>();
  return { ...original, createProviders: vi.fn(original.createProviders) };
});

const event = recorded as ScheduledEvent;
/** Monday of the week of the recorded event's time (2019-10-08, a Tuesday). */
const WEEK = '2019-10-07';

/** The environment a deployment gives the function, for each database the job supports. */
const databases = {
  async PGlite() {
    const dir = await mkdtemp(join(tmpdir(), 'matching-job-'));
    await seedLocalDatabase(dir);
    return { env: { SWITCHYARD_LOCAL_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  },
  async PostgreSQL() {
    const database = await createAppDatabase();
    const url = new URL(database.connectionString);
    url.searchParams.set('sslmode', 'disable');
    const dir = await mkdtemp(join(tmpdir(), 'matching-job-'));
    return {
      env: { SWITCHYARD_DB: 'aws', DATABASE_URL: url.toString(), SWITCHYARD_LOCAL_DIR: dir },
      drop: async () => {
        await database.drop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

describe.each(Object.keys(databases) as (keyof typeof databases)[])('the match job handler on %s', (name) => {
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await databases[name]();
    drop = database.drop;
    for (const [key, value] of Object.entries(database.env)) vi.stubEnv(key, value);
    vi.mocked(core.createProviders).mockClear();
    await addMembers((await sharedProviders()).db, 60);
  }, 180_000);

  afterAll(async () => {
    await closeSharedProviders();
    vi.unstubAllEnvs();
    await drop?.();
  });

  it('computes the matches of the week the scheduled event names, logs one JSON line and its metrics as EMF', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    log.mockClear();
    const run = await handler(event);
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toEqual({ message: 'weekly matches', eventId: event.id, ...run });
    const emf = stdout.mock.calls.map(([chunk]) => String(chunk)).filter((line) => line.includes('"_aws"'));
    stdout.mockRestore();
    log.mockRestore();
    // Powertools writes one EMF document per dimension set: the database calls the matching made.
    const documents = emf.map((line) => JSON.parse(line));
    const dbMetrics = documents.find((d) => d['switchyard.port'] === 'db' && d['switchyard.outcome'] === 'success');
    expect(dbMetrics?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Switchyard',
      Metrics: [{ Name: 'switchyard.operation.duration' }],
    });
    // EMF gives one value as a number and several as an array.
    expect([dbMetrics?.['switchyard.operation.duration']].flat().length).toBeGreaterThan(0);
    expect(run).toMatchObject({ week: WEEK, alreadyDone: false, members: 60 });
    expect(run.pairsAdded).toBeGreaterThan(20);
    const { db } = await sharedProviders();
    const wrong = await db.one<{ n: number }>(sql`
      select count(*)::int as n from matches m join profiles a on a.id = m.user_a join profiles b on b.id = m.user_b
      where m.week = ${WEEK}::date and (not (a.hobbies && b.hobbies) or a.place <> b.place)`);
    expect(wrong.n).toBe(0);
  });

  it('changes nothing when the same event arrives again (EventBridge delivers at least once)', async () => {
    const { db } = await sharedProviders();
    const before = await db.query(sql`select * from matches where week = ${WEEK}::date order by id`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const again = await handler(event);
    log.mockRestore();
    expect(again).toMatchObject({ week: WEEK, alreadyDone: true, pairsAdded: 0, pairs: before.rowCount });
    expect((await db.query(sql`select * from matches where week = ${WEEK}::date order by id`)).rows).toEqual(before.rows);
  });

  it('opened the ports once for every invocation of this execution environment', () => {
    expect(core.createProviders).toHaveBeenCalledTimes(1);
  });

  it('refuses what is not a scheduled event before touching the database', async () => {
    const { db } = await sharedProviders();
    const runs = await db.one<{ n: number }>(sql`select count(*)::int as n from match_runs`);
    for (const bad of [{ ...event, source: 'aws.s3' }, { ...event, time: 'yesterday' }, {}]) {
      await expect(handler(bad as ScheduledEvent)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect((await db.one<{ n: number }>(sql`select count(*)::int as n from match_runs`)).n).toBe(runs.n);
  });
});

describe('the match job handler when the database is down at a cold start', () => {
  afterAll(async () => {
    await closeSharedProviders();
    vi.unstubAllEnvs();
  });

  it('fails that invocation with UNAVAILABLE, and the next one opens the ports again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matching-job-'));
    vi.stubEnv('SWITCHYARD_LOCAL_DIR', dir);
    vi.stubEnv('SWITCHYARD_DB', 'aws');
    // Nothing listens on port 1: the connection is refused.
    vi.stubEnv('DATABASE_URL', 'postgres://postgres@127.0.0.1:1/none?sslmode=disable');
    vi.mocked(core.createProviders).mockClear();
    await expect(handler(event)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(handler(event)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(core.createProviders).toHaveBeenCalledTimes(2);
    await rm(dir, { recursive: true, force: true });
  });
});
