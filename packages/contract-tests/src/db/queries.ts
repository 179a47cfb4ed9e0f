import { type DbPort, SwitchyardError, sql } from '@switchyard/core/adapter';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSwitchyardError } from '../expect-error.js';
import { randomId } from '../random.js';

export function queryCases(port: () => DbPort, namePrefix: string): void {
  const table = sql.ident(`${namePrefix}sy_contract_${randomId()}`);

  beforeAll(async () => {
    await port().query(sql`create table ${table} (id serial primary key, name text not null unique, note text)`);
  });

  describe('query', () => {
    it('binds values as parameters: an injection string is stored verbatim', async () => {
      const evil = "x'); drop table students; --";
      const hostile = `Robert'); DROP TABLE students;-- ${randomId()}`;
      await port().query(sql`insert into ${table} (name, note) values (${hostile}, ${evil})`);
      const row = await port().one<{ name: string; note: string }>(sql`select name, note from ${table} where name = ${hostile}`);
      expect(row).toEqual({ name: hostile, note: evil });
      const echoed = await port().one<{ v: string }>(sql`select ${'1; select 2'}::text as v`);
      expect(echoed.v).toBe('1; select 2');
    });

    it('returns typed rows and a row count', async () => {
      const a = `a-${randomId()}`;
      const b = `b-${randomId()}`;
      const inserted = await port().query(sql`insert into ${table} (name) values (${a}), (${b})`);
      expect(inserted.rowCount).toBe(2);
      const result = await port().query<{ name: string }>(sql`select name from ${table} where name in (${a}, ${b}) order by name`);
      expect(result.rows.map((r) => r.name)).toEqual([a, b]);
      expect(result.rowCount).toBe(2);
    });

    it('composes fragments and quoted identifiers', async () => {
      const name = `c-${randomId()}`;
      const where = sql`where name = ${name}`;
      await port().query(sql`insert into ${table} (name) values (${name})`);
      const row = await port().maybeOne<{ name: string }>(sql`select ${sql.ident('name')} from ${table} ${where}`);
      expect(row?.name).toBe(name);
    });

    it('maps a unique violation to CONFLICT and keeps the driver error as cause', async () => {
      const name = `dup-${randomId()}`;
      await port().query(sql`insert into ${table} (name) values (${name})`);
      const error = await expectSwitchyardError(port().query(sql`insert into ${table} (name) values (${name})`), 'CONFLICT');
      expect(error.port).toBe('db');
      expect(error.cause).toBeDefined();
    });

    it('maps a syntax error to INVALID_INPUT', async () => {
      await expectSwitchyardError(port().query(sql`selec 1`), 'INVALID_INPUT');
    });

    it('refuses a plain string instead of an sql fragment', async () => {
      const untyped = port().query as unknown as (text: string) => Promise<unknown>;
      await expectSwitchyardError(untyped.call(port(), 'select 1'), 'INVALID_INPUT');
    });
  });

  describe('one and maybeOne', () => {
    it('one returns the single row, NOT_FOUND for none, INVALID_INPUT for several', async () => {
      expect(await port().one<{ n: number }>(sql`select 1::int as n`)).toEqual({ n: 1 });
      await expectSwitchyardError(port().one(sql`select 1 where false`), 'NOT_FOUND');
      await expectSwitchyardError(port().one(sql`select * from (values (1), (2)) v(n)`), 'INVALID_INPUT');
    });

    it('maybeOne returns null for none, INVALID_INPUT for several', async () => {
      expect(await port().maybeOne(sql`select 1 where false`)).toBeNull();
      expect(await port().maybeOne<{ n: number }>(sql`select 2::int as n`)).toEqual({ n: 2 });
      await expectSwitchyardError(port().maybeOne(sql`select * from (values (1), (2)) v(n)`), 'INVALID_INPUT');
    });
  });

  describe('transaction', () => {
    const count = async (name: string) =>
      (await port().one<{ n: number }>(sql`select count(*)::int as n from ${table} where name = ${name}`)).n;

    it('commits when fn resolves and returns its value', async () => {
      const name = `tx-${randomId()}`;
      const value = await port().transaction(async (tx) => {
        await tx.query(sql`insert into ${table} (name) values (${name})`);
        return 42;
      });
      expect(value).toBe(42);
      expect(await count(name)).toBe(1);
    });

    it('rolls back and rethrows the same error when fn throws', async () => {
      const name = `rb-${randomId()}`;
      const boom = new Error('boom');
      await expect(
        port().transaction(async (tx) => {
          await tx.query(sql`insert into ${table} (name) values (${name})`);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await count(name)).toBe(0);
    });

    it('rolls back a nested transaction alone (savepoint)', async () => {
      const outer = `outer-${randomId()}`;
      const inner = `inner-${randomId()}`;
      await port().transaction(async (tx) => {
        await tx.query(sql`insert into ${table} (name) values (${outer})`);
        await expect(
          tx.transaction(async (nested) => {
            await nested.query(sql`insert into ${table} (name) values (${inner})`);
            throw new Error('inner fails');
          }),
        ).rejects.toThrow('inner fails');
        const seen = await tx.one<{ n: number }>(sql`select count(*)::int as n from ${table} where name = ${inner}`);
        expect(seen.n).toBe(0);
      });
      expect(await count(outer)).toBe(1);
      expect(await count(inner)).toBe(0);
    });

    it('keeps a nested transaction that succeeds', async () => {
      const inner = `kept-${randomId()}`;
      await port().transaction(async (tx) => {
        await tx.transaction(async (nested) => {
          await nested.query(sql`insert into ${table} (name) values (${inner})`);
        });
      });
      expect(await count(inner)).toBe(1);
    });

    it('rolls back everything when a database error escapes', async () => {
      const name = `dbe-${randomId()}`;
      const error = await expectSwitchyardError(
        port().transaction(async (tx) => {
          await tx.query(sql`insert into ${table} (name) values (${name})`);
          await tx.query(sql`insert into ${table} (name) values (${name})`);
        }),
        'CONFLICT',
      );
      expect(SwitchyardError.isInstance(error)).toBe(true);
      expect(await count(name)).toBe(0);
    });
  });
}
