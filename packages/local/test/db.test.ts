import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { SwitchyardError, sql } from '@switchyard/core/adapter';
import { createLocalDb } from '@switchyard/local';
import { describe, expect, it } from 'vitest';

describe('LocalDb', () => {
  it('keeps data in a data directory across reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sy-pglite-'));
    try {
      const first = await createLocalDb({ dataDir });
      await first.query(sql`create table notes (body text)`);
      await first.query(sql`insert into notes values (${'kept'})`);
      await first.close();
      const second = await createLocalDb({ dataDir });
      expect(await second.one(sql`select body from notes`)).toEqual({ body: 'kept' });
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    // Two PGlite starts from a fresh directory: ~2 s alone, far more on a loaded 2-core machine.
  }, 120_000);

  it('creates the missing parent folders of its data directory (a fresh checkout has none)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sy-pglite-'));
    try {
      const db = await createLocalDb({ dataDir: join(root, 'not', 'there', 'db') });
      expect(await db.one(sql`select 1 as one`)).toEqual({ one: 1 });
      await db.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuses the port itself inside a transaction instead of deadlocking', async () => {
    const db = await createLocalDb();
    try {
      const error = await db.transaction(() => db.query(sql`select 1`)).catch((e: unknown) => e);
      expect(SwitchyardError.hasCode(error, 'INVALID_INPUT')).toBe(true);
      expect((error as Error).message).toContain('transaction client');
      expect(await db.one(sql`select 1 as n`)).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  });

  it('runs on a PGlite instance the app gives it, and leaves it open on close', async () => {
    const client = await PGlite.create();
    try {
      const db = await createLocalDb({ client });
      const id = randomUUID();
      expect(await db.asUser({ id }, (tx) => tx.one(sql`select auth.uid()::text as id`))).toEqual({ id });
      await db.close();
      expect((await client.query<{ n: number }>('select 1 as n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('closes idempotently and refuses later calls with UNAVAILABLE', async () => {
    const db = await createLocalDb();
    await db.close();
    await db.close();
    const error = await db.query(sql`select 1`).catch((e: unknown) => e);
    expect(SwitchyardError.hasCode(error, 'UNAVAILABLE')).toBe(true);
  });
});
