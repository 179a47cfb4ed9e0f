import { randomUUID } from 'node:crypto';
import { type DbPort, sql } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWhen } from '../capability.js';
import { expectSwitchyardError } from '../expect-error.js';
import type { DbFixture } from '../fixtures.js';
import { randomId } from '../random.js';

type Identity = { uid: string | null; role: string; claims: string | null };

const whoAmI = sql`select auth.uid()::text as uid, current_user::text as role, nullif(current_setting('request.jwt.claims', true), '') as claims`;

export function rlsCases(port: () => DbPort, openSinglePool: () => Promise<DbFixture>, namePrefix: string): void {
  const rls = () => ({ declared: port().capabilities.rowLevelSecurity, label: 'rowLevelSecurity' });
  const table = sql.ident(`${namePrefix}sy_rls_${randomId()}`);
  const users = Array.from({ length: 20 }, () => randomUUID());

  describe('asUser', () => {
    let single: DbFixture | undefined;

    beforeAll(async () => {
      if (!port().capabilities.rowLevelSecurity) return;
      // The policy is written exactly as a Supabase project writes it.
      await port().query(sql`create table ${table} (id serial primary key, owner uuid not null, body text not null)`);
      await port().query(sql`alter table ${table} enable row level security`);
      await port().query(sql`create policy owner_reads on ${table} for select to authenticated using (owner = auth.uid())`);
      await port().query(sql`create policy owner_writes on ${table} for insert to authenticated with check (owner = auth.uid())`);
      await port().query(sql`grant select, insert on ${table} to authenticated`);
      await port().query(sql`grant usage on all sequences in schema public to authenticated`);
      for (const [i, user] of users.entries()) {
        await port().query(sql`insert into ${table} (owner, body) values (${user}, ${`row of user ${i}`})`);
      }
    });

    afterAll(async () => {
      await single?.teardown?.();
    });

    itWhen('sees only the rows an auth.uid() policy allows', rls, async () => {
      const [alice, bob] = users;
      const rows = await port().asUser({ id: alice!, email: 'alice@example.com' }, (tx) =>
        tx.query<{ owner: string; body: string }>(sql`select owner::text, body from ${table}`),
      );
      expect(rows.rows).toEqual([{ owner: alice, body: 'row of user 0' }]);
      const all = await port().query(sql`select * from ${table}`);
      expect(all.rowCount).toBe(20);
      const me = await port().asUser({ id: bob! }, (tx) => tx.one<Identity>(whoAmI));
      expect(me.uid).toBe(bob);
      expect(me.role).toBe('authenticated');
      expect(JSON.parse(me.claims ?? '{}')).toMatchObject({ sub: bob, role: 'authenticated' });
    });

    itWhen('refuses a write the policy does not allow with FORBIDDEN', rls, async () => {
      await expectSwitchyardError(
        port().asUser({ id: users[0]! }, (tx) => tx.query(sql`insert into ${table} (owner, body) values (${users[1]}, ${'forged'})`)),
        'FORBIDDEN',
      );
    });

    itWhen('never leaks claims to the next query on a pool of one, also when fn throws', rls, async () => {
      single = await openSinglePool();
      const db = single.port;
      const before = await db.one<Identity>(whoAmI);
      expect(before.uid).toBeNull();

      const inside = await db.asUser({ id: users[2]! }, (tx) => tx.one<Identity>(whoAmI));
      expect(inside.uid).toBe(users[2]);
      expect(await db.one<Identity>(whoAmI)).toEqual(before);

      await expect(
        db.asUser({ id: users[3]! }, async (tx) => {
          await tx.one(whoAmI);
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');
      expect(await db.one<Identity>(whoAmI)).toEqual(before);

      await expectSwitchyardError(
        db.asUser({ id: users[4]! }, (tx) => tx.query(sql`select 1/0`)),
        'INVALID_INPUT',
      );
      expect(await db.one<Identity>(whoAmI)).toEqual(before);
    });

    itWhen('gives each of 20 concurrent callers only their own rows', rls, async () => {
      const results = await Promise.all(
        users.map((user) => port().asUser({ id: user }, (tx) => tx.query<{ owner: string }>(sql`select owner::text from ${table}`))),
      );
      results.forEach((result, i) => {
        expect(result.rows).toEqual([{ owner: users[i] }]);
      });
    });

    itWhen('refuses a role outside the allowed set before any I/O', rls, async () => {
      await expectSwitchyardError(
        port().asUser({ id: users[0]!, role: 'postgres' }, async () => 1),
        'INVALID_INPUT',
      );
    });
  });
}
