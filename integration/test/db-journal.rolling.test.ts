import { randomUUID } from 'node:crypto';
import { DbJournal, DualDb, DualStorage, sql } from '@switchyard/core';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultSwitch, withFaults } from './fault-injection.js';
import { startLocalStorage } from './support/local-storage.js';

/**
 * The database switch of a migration, with the storage journal in the app's database: during a
 * rolling redeploy an instance of the previous phase still journals into the old primary after
 * the new one took over. Those rows must still be repaired (hole 4 of issue 11).
 */
describe('DbJournal across a database switch during a rolling redeploy', () => {
  let oldDb: TestDatabase;
  let newDb: TestDatabase;
  beforeAll(async () => {
    [oldDb, newDb] = await Promise.all([
      createTestDatabase({ prepare: installSupabaseCompat }),
      createTestDatabase({ prepare: installSupabaseCompat }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([oldDb?.drop(), newDb?.drop()]);
  });

  it('repairs keys an old instance journaled into the old primary after the switch, and resolves them where they are', async () => {
    const primaryStorage = await startLocalStorage();
    const shadowStorage = await startLocalStorage();
    const faults = new FaultSwitch();
    const oldSide = await createPostgresDb({ connectionString: oldDb.connectionString });
    const newSide = await createPostgresDb({ connectionString: newDb.connectionString });
    const table = `journal_${randomUUID().replaceAll('-', '')}`;

    // Phase 2 instance: database primary is the old one; its storage shadow is failing.
    const phase2Db = new DualDb({ primary: oldSide, shadow: newSide });
    const phase2 = new DualStorage({
      primary: primaryStorage.storage,
      shadow: withFaults(shadowStorage.storage, faults),
      journal: new DbJournal(phase2Db, [table]),
      shadowCircuit: { failureThreshold: 1_000 },
    });
    // Phase 3 instance, overlapping: database primary is the new one.
    const phase3Db = new DualDb({ primary: newSide, shadow: oldSide });
    const phase3Journal = new DbJournal(phase3Db, [table]);
    await phase3Journal.install();
    const phase3 = new DualStorage({ primary: primaryStorage.storage, shadow: shadowStorage.storage, journal: phase3Journal });

    faults.mode = 'error';
    const stranded = `rolling/${randomUUID()}.jpg`;
    await phase2.put(stranded, 'written by the old instance');
    faults.mode = 'none';
    expect(await shadowStorage.storage.head(stranded)).toBeNull();

    const pending = await phase3Journal.pending('storage', 10);
    expect(pending.map((e) => e.key)).toEqual([stranded]);
    expect(await phase3.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(await (await shadowStorage.storage.get(stranded)).text()).toBe('written by the old instance');
    // Resolved in the old database, where it was written; the new one never held it.
    const left = await oldSide.query(sql`select count(*)::int as n from ${sql.ident(table)}`);
    expect(left.rows).toEqual([{ n: 0 }]);

    await Promise.all([phase2.close(), phase3.close(), primaryStorage.stop(), shadowStorage.stop()]);
  });

  it('journals into the other database when the primary refuses writes (frozen for the switch)', async () => {
    const table = `journal_${randomUUID().replaceAll('-', '')}`;
    const frozenUrl = new URL(oldDb.connectionString);
    frozenUrl.searchParams.set('options', '-c default_transaction_read_only=on');
    const frozen = await createPostgresDb({ connectionString: frozenUrl.toString() });
    const newSide = await createPostgresDb({ connectionString: newDb.connectionString });
    // An instance of the previous phase: its primary database is the old, now read-only, one.
    await new DbJournal(new DualDb({ primary: newSide, shadow: frozen }), [table]).install();
    const old = new DbJournal(new DualDb({ primary: frozen, shadow: newSide }), [table]);
    await old.record({ port: 'storage', key: 'late', operation: 'put', reason: 'shadow write failed', primary: 'supabase' });
    const phase3 = new DbJournal(new DualDb({ primary: newSide, shadow: frozen }), [table]);
    expect((await phase3.pending('storage', 10)).map((e) => e.key)).toEqual(['late']);
    await Promise.all([frozen.close(), newSide.close()]);
  });

  it('still repairs its own entries while the old primary cannot be read', async () => {
    const table = `journal_${randomUUID().replaceAll('-', '')}`;
    const newSide = await createPostgresDb({ connectionString: newDb.connectionString });
    const unreachable = await createPostgresDb({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 });
    const journal = new DbJournal(new DualDb({ primary: newSide, shadow: unreachable }), [table]);
    await journal.record({ port: 'storage', key: 'k', operation: 'put', reason: 'r', primary: 'aws' });
    expect((await journal.pending('storage', 10)).map((e) => e.key)).toEqual(['k']);
    await Promise.all([newSide.close(), unreachable.close()]);
  });
});

describe('DbJournal reading the frozen old primary', () => {
  let oldDb: TestDatabase;
  let newDb: TestDatabase;
  beforeAll(async () => {
    // One after the other: each installs cluster-wide roles, which two sessions cannot alter at once.
    oldDb = await createTestDatabase({ prepare: installSupabaseCompat });
    newDb = await createTestDatabase({ prepare: installSupabaseCompat });
  });
  afterAll(async () => {
    await Promise.all([oldDb?.drop(), newDb?.drop()]);
  });

  it('reads, and resolves where they are, entries the previous phase journaled before the switch froze its database', async () => {
    const table = `journal_${randomUUID().replaceAll('-', '')}`;
    const oldSide = await createPostgresDb({ connectionString: oldDb.connectionString });
    const newSide = await createPostgresDb({ connectionString: newDb.connectionString });
    // Phase 2 journals into its primary, the old database, which is then frozen (switchyard db freeze).
    await new DbJournal(new DualDb({ primary: oldSide, shadow: newSide }), [table]).record({
      port: 'storage',
      key: 'uploaded-before-the-switch',
      operation: 'createUploadUrl',
      reason: 'uploaded through a signed URL to the primary',
      primary: 'supabase',
    });
    const frozenUrl = new URL(oldDb.connectionString);
    frozenUrl.searchParams.set('options', '-c default_transaction_read_only=on');
    const frozen = await createPostgresDb({ connectionString: frozenUrl.toString() });
    const phase3 = new DbJournal(new DualDb({ primary: newSide, shadow: frozen }), [table]);
    await phase3.install();
    const [entry] = await phase3.pending('storage', 10);
    expect(entry?.key).toBe('uploaded-before-the-switch');
    await phase3.resolve(entry!);
    expect(await phase3.pending('storage', 10)).toEqual([]);
    await Promise.all([oldSide.close(), newSide.close(), frozen.close()]);
  });
});
