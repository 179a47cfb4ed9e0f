import { type BackfillUsersProgress, backfillUsers } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { MemoryAuth } from './memory-ports.js';

async function seeded(count: number): Promise<MemoryAuth> {
  const auth = new MemoryAuth('old');
  for (let i = 0; i < count; i++) {
    await auth.admin.createUser({ email: `user${i}@example.com`, emailVerified: i % 2 === 0, metadata: { n: i } });
  }
  return auth;
}

describe('backfillUsers', () => {
  it('creates every user with the same application id, email, verification and metadata', async () => {
    const from = await seeded(5);
    const to = new MemoryAuth('new');
    const result = await backfillUsers({ from, to });
    expect(result).toEqual({ examined: 5, created: 5, skipped: 0, failed: [] });
    for (const user of from.users.values()) {
      expect(await to.admin.getUser(user.id)).toMatchObject({
        id: user.id,
        email: user.email,
        emailVerified: user.emailVerified,
        metadata: user.metadata,
      });
    }
  });

  it('is idempotent and skips users already migrated (lazily or by an earlier run)', async () => {
    const from = await seeded(3);
    const to = new MemoryAuth('new');
    const first = [...from.users.values()][0]!;
    await to.admin.createUser({ id: first.id, email: first.email });
    expect(await backfillUsers({ from, to })).toMatchObject({ created: 2, skipped: 1 });
    expect(await backfillUsers({ from, to })).toEqual({ examined: 3, created: 0, skipped: 3, failed: [] });
  });

  it('reports, and leaves alone, a user whose email another user holds at the target', async () => {
    const from = await seeded(2);
    const to = new MemoryAuth('new');
    const clash = [...from.users.values()][1]!;
    const other = await to.admin.createUser({ email: clash.email });
    const result = await backfillUsers({ from, to });
    expect(result.created).toBe(1);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ userId: clash.id, error: { code: 'CONFLICT', port: 'auth', operation: 'backfillUsers' } });
    expect(result.failed[0]!.error.message).toContain(other.id);
    expect(await to.admin.getUser(clash.id)).toBeNull();
  });

  it('refuses a target that cannot keep ids, saying why, before any write', async () => {
    const from = await seeded(1);
    const to = new MemoryAuth('new', false);
    const error = await backfillUsers({ from, to }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNSUPPORTED', port: 'auth', operation: 'backfillUsers' });
    expect((error as Error).message).toContain('customUserId');
    expect(to.created).toEqual([]);
  });

  it('reports progress per page with a cursor that resumes the listing', async () => {
    const from = await seeded(3);
    const to = new MemoryAuth('new');
    const progress: BackfillUsersProgress[] = [];
    await backfillUsers({ from, to, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => [p.examined, p.created, p.cursor])).toEqual([
      [2, 2, '2'],
      [3, 3, undefined],
    ]);
    const resumed = new MemoryAuth('resumed');
    expect(await backfillUsers({ from, to: resumed, cursor: '2' })).toMatchObject({ examined: 1, created: 1 });
  });
});
