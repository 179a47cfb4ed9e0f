import { randomUUID } from 'node:crypto';
import { DbJournal, type DbPort, DualStorage, type DualStorageOptions, type StoragePort } from '@switchyard/core';
import { createLocalDb } from '@switchyard/local';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Divergences } from './events.js';
import { type Fault, FaultSwitch, withFaults } from './fault-injection.js';
import { startLocalStorage } from './support/local-storage.js';

const SHADOW_TIMEOUT_MS = 300;
const CIRCUIT_OPEN_MS = 200;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setup(options: Pick<DualStorageOptions, 'reads' | 'copyForward' | 'journal' | 'labels'> = {}) {
  const primary = await startLocalStorage();
  const shadow = await startLocalStorage();
  const faults = new FaultSwitch();
  const divergences = new Divergences();
  const dual = new DualStorage({
    primary: primary.storage,
    shadow: withFaults(shadow.storage, faults),
    shadowTimeoutMs: SHADOW_TIMEOUT_MS,
    shadowCircuit: { failureThreshold: 3, openMs: CIRCUIT_OPEN_MS, maxOpenMs: CIRCUIT_OPEN_MS },
    onEvent: divergences.onEvent,
    ...options,
  });
  cleanups.push(async () => {
    faults.mode = 'none';
    await dual.close();
    await Promise.all([primary.stop(), shadow.stop()]);
  });
  return { dual, primary: primary.storage as StoragePort, shadow: shadow.storage as StoragePort, faults, divergences };
}

const text = async (port: StoragePort, key: string) => (await port.get(key)).text();

describe('DualStorage with a failing shadow', () => {
  for (const fault of ['refuse', 'hang', 'error'] as Fault[]) {
    it(`keeps writing to the primary while the shadow is down (${fault}), then repair() makes both equal`, async () => {
      const { dual, primary, shadow, faults, divergences } = await setup();
      const kept = `k/${randomUUID()}/kept.txt`;
      await dual.put(kept, 'old');
      const [written, deleted, copied] = ['written.txt', 'deleted.txt', 'copied.txt'].map((name) => `k/${randomUUID()}/${name}`) as [
        string,
        string,
        string,
      ];
      await dual.put(deleted, 'to delete');

      faults.mode = fault;
      // With the shadow hanging these would never settle without the bound.
      await expect(dual.put(written, 'new', { contentType: 'text/plain', metadata: { v: '2' } })).resolves.toMatchObject({
        key: written,
        size: 3,
      });
      await dual.put(kept, 'updated');
      await dual.delete(deleted);
      await dual.copy(kept, copied);
      expect(await text(primary, written)).toBe('new');
      expect(await text(primary, kept)).toBe('updated');
      expect(await primary.head(deleted)).toBeNull();
      // Three failures open the shadow's circuit: the fourth write skips it, and is journaled all the same.
      expect(faults.hits).toBe(3);
      for (const key of [written, kept, deleted, copied]) {
        expect(divergences.about(key).map((e) => e.error?.code)).toContain('UNAVAILABLE');
      }
      expect(divergences.about(copied).map((e) => e.divergence)).toEqual([
        'the shadow is skipped while its circuit is open; journaled for repair',
      ]);
      expect((await dual.journal.pending('storage', 100)).map((e) => e.key).sort()).toEqual([written, kept, deleted, copied].sort());

      // Still down: repair keeps every entry.
      expect(await dual.repair()).toEqual({ repaired: 0, remaining: 4 });

      faults.mode = 'none';
      // The first shadow call after the circuit's wait probes it; once it answers, repair runs through.
      await new Promise((resolve) => setTimeout(resolve, CIRCUIT_OPEN_MS));
      expect(await dual.repair()).toEqual({ repaired: 4, remaining: 0 });
      expect(await text(shadow, written)).toBe('new');
      expect((await shadow.head(written))?.metadata).toEqual({ v: '2' });
      expect(await text(shadow, kept)).toBe('updated');
      expect(await text(shadow, copied)).toBe('updated');
      expect(await shadow.head(deleted)).toBeNull();
    });
  }

  it('answers a fallback read of a missing key with NOT_FOUND while the shadow hangs', async () => {
    const { dual, faults, divergences } = await setup({ reads: 'fallback' });
    faults.mode = 'hang';
    const key = `missing/${randomUUID()}`;
    await expect(dual.get(key)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await dual.head(key)).toBeNull();
    expect(divergences.about(key).length).toBe(2);
  });

  it('keeps repairs in a DbJournal table across composites', async () => {
    const db = await createLocalDb();
    cleanups.push(() => db.close());
    const journal = new DbJournal(db);
    const { dual, shadow, faults } = await setup({ journal });
    const key = `db/${randomUUID()}.txt`;
    faults.mode = 'error';
    await dual.put(key, 'journaled');
    expect((await new DbJournal(db).pending('storage', 10)).map((e) => e.key)).toEqual([key]);
    faults.mode = 'none';
    expect(await dual.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(await text(shadow, key)).toBe('journaled');
  });
});

describe('DbJournal across the phase 2 → 3 role swap', () => {
  let db: DbPort;
  beforeAll(async () => {
    db = await createLocalDb();
  });
  afterAll(() => db.close());
  const newTable = () => `journal_${randomUUID().replaceAll('-', '')}`;

  it('stores the side that was primary with each entry, and a newer record replaces it', async () => {
    const journal = new DbJournal(db, [newTable()]);
    await journal.record({ port: 'storage', key: 'a', operation: 'delete', reason: 'shadow write failed', primary: 'supabase' });
    await journal.record({ port: 'storage', key: 'b', operation: 'put', reason: 'shadow write failed', primary: 'supabase' });
    expect(await journal.pending('storage', 10)).toMatchObject([
      { key: 'a', primary: 'supabase' },
      { key: 'b', primary: 'supabase' },
    ]);
    await journal.record({ port: 'storage', key: 'a', operation: 'put', reason: 'shadow write failed', primary: 'aws' });
    expect(await journal.pending('storage', 10)).toMatchObject([
      { key: 'b', primary: 'supabase' },
      { key: 'a', operation: 'put', primary: 'aws', version: 2 },
    ]);
  });

  it('removes everywhere an object whose delete was journaled before the swap', async () => {
    const table = newTable();
    const phase2 = await setup({ journal: new DbJournal(db, [table]), labels: { primary: 'before', shadow: 'after' } });
    const key = `swap/${randomUUID()}.jpg`;
    await phase2.dual.put(key, 'a photo');
    phase2.faults.mode = 'error';
    await phase2.dual.delete(key);
    phase2.faults.mode = 'none';
    expect(await phase2.shadow.head(key)).not.toBeNull();

    // The redeploy: a new composite, sides swapped, over the same table.
    const phase3 = new DualStorage({
      primary: phase2.shadow,
      shadow: phase2.primary,
      journal: new DbJournal(db, [table]),
      labels: { primary: 'after', shadow: 'before' },
    });
    expect(await phase3.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(await phase2.shadow.head(key)).toBeNull();
    expect(await phase2.primary.head(key)).toBeNull();
  });
});

describe('DualStorage reads', () => {
  it('falls back to the shadow and copies the object forward', async () => {
    const { dual, primary, shadow, divergences } = await setup({ reads: 'fallback', copyForward: true });
    const key = `old/${randomUUID()}.txt`;
    await shadow.put(key, 'from before', { contentType: 'text/plain' });
    expect(await (await dual.get(key)).text()).toBe('from before');
    expect(divergences.about(key).map((e) => e.divergence)).toEqual(['missing in the primary; served from the shadow']);
    await dual.settled();
    expect(await text(primary, key)).toBe('from before');
    expect((await primary.head(key))?.contentType).toBe('text/plain');
  });

  it('signs download URLs at the side that holds the object', async () => {
    const { dual, shadow } = await setup({ reads: 'fallback' });
    const key = `old/${randomUUID()}.txt`;
    await shadow.put(key, 'only in the shadow');
    const { url } = await dual.createDownloadUrl(key);
    expect(await (await fetch(url)).text()).toBe('only in the shadow');
  });

  it('reports a mismatch in compare mode without changing the answer', async () => {
    const { dual, primary, shadow, divergences } = await setup({ reads: 'compare' });
    const key = `cmp/${randomUUID()}.txt`;
    await primary.put(key, 'primary');
    await shadow.put(key, 'shadow!!');
    expect(await (await dual.get(key)).text()).toBe('primary');
    await dual.settled();
    expect(divergences.about(key).map((e) => e.divergence)).toEqual(['size 7 vs 8']);
    const agreed = `cmp/${randomUUID()}.txt`;
    await dual.put(agreed, 'same');
    await dual.head(agreed);
    await dual.settled();
    expect(divergences.about(agreed)).toEqual([]);
  });

  it('copies an object uploaded through a signed URL to the shadow on repair', async () => {
    const { dual, shadow } = await setup();
    const key = `upload/${randomUUID()}.txt`;
    const target = await dual.createUploadUrl(key, { contentType: 'text/plain' });
    expect(await dual.repair()).toEqual({ repaired: 0, remaining: 1 });
    const form = new FormData();
    for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
    form.append('file', new Blob(['uploaded'], { type: 'text/plain' }));
    const response =
      target.method === 'PUT'
        ? await fetch(target.url, { method: 'PUT', headers: target.headers, body: 'uploaded' })
        : await fetch(target.url, { method: 'POST', body: form });
    expect(response.status).toBeLessThan(300);
    expect(await dual.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(await text(shadow, key)).toBe('uploaded');
  });
});
