import { compile, SwitchyardError, sql } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

describe('sql', () => {
  it('turns every value into a bound parameter', () => {
    const evil = "'; drop table users; --";
    expect(compile(sql`select * from users where name = ${evil} and age > ${30}`)).toEqual({
      text: 'select * from users where name = $1 and age > $2',
      values: [evil, 30],
    });
  });

  it('maps undefined to null and keeps arrays and objects as single parameters', () => {
    expect(compile(sql`select ${undefined}, ${[1, 2]}, ${{ a: 1 }}`)).toEqual({
      text: 'select $1, $2, $3',
      values: [null, [1, 2], { a: 1 }],
    });
  });

  it('composes nested fragments and renumbers their parameters', () => {
    const where = sql`where id = ${7} and owner = ${'u'}`;
    expect(compile(sql`select ${'x'} from t ${where} limit ${5}`)).toEqual({
      text: 'select $1 from t where id = $2 and owner = $3 limit $4',
      values: ['x', 7, 'u', 5],
    });
    expect(compile(sql`select 1 ${sql.empty}`).text).toBe('select 1 ');
  });

  it('quotes identifiers and escapes embedded quotes', () => {
    expect(compile(sql`select * from ${sql.ident('public', 'we"ird')}`).text).toBe('select * from "public"."we""ird"');
    expect(() => sql.ident('')).toThrow(SwitchyardError);
    expect(() => sql.ident('a\u0000b')).toThrow(SwitchyardError);
    expect(() => sql.ident('x'.repeat(64))).toThrow(SwitchyardError);
    // 40 characters but 80 bytes: PostgreSQL would cut it to 63 bytes and could confuse two names.
    expect(() => sql.ident('é'.repeat(40))).toThrow(/80 UTF-8 bytes/);
    expect(compile(sql`select ${sql.ident('é'.repeat(31))}`).text).toBe(`select "${'é'.repeat(31)}"`);
  });

  it('joins fragments with a separator', () => {
    const values = [1, 2, 3].map((n) => sql`(${n})`);
    expect(compile(sql`insert into t values ${sql.join(values)}`)).toEqual({
      text: 'insert into t values ($1), ($2), ($3)',
      values: [1, 2, 3],
    });
    expect(compile(sql.join([sql`a = ${1}`, sql`b = ${2}`], sql` and `)).text).toBe('a = $1 and b = $2');
    expect(() => sql.join(['raw text' as never])).toThrow(SwitchyardError);
  });

  it('refuses to be called with a string or a hand-made array', () => {
    const call = sql as unknown as (strings: unknown, ...values: unknown[]) => unknown;
    expect(() => call('select 1')).toThrow(SwitchyardError);
    expect(() => call(['select 1'])).toThrow(SwitchyardError);
    const fake = Object.freeze(Object.assign(['select ', ''], {}));
    expect(() => call(fake, 1)).toThrow(SwitchyardError);
    expect(() => compile({ text: 'select 1', values: [] } as never)).toThrow(SwitchyardError);
  });

  it('produces immutable fragments', () => {
    const fragment = sql`select ${1}`;
    expect(Object.isFrozen(fragment)).toBe(true);
    expect(Object.isFrozen(fragment.values)).toBe(true);
    expect(sql.isFragment(fragment)).toBe(true);
    expect(sql.isFragment('select 1')).toBe(false);
  });

  // compile keeps the text of an all-parameter template by its strings array (one per call site).
  it('renders one call site right whatever each call interpolates', () => {
    const at = (value: unknown) => compile(sql`select * from t where a = ${value} and b = ${2}`);
    expect(at(1)).toEqual({ text: 'select * from t where a = $1 and b = $2', values: [1, 2] });
    expect(at(sql`${'x'} || ${'y'}`)).toEqual({ text: 'select * from t where a = $1 || $2 and b = $3', values: ['x', 'y', 2] });
    expect(at(sql.ident('c'))).toEqual({ text: 'select * from t where a = "c" and b = $1', values: [2] });
    expect(at(undefined)).toEqual({ text: 'select * from t where a = $1 and b = $2', values: [null, 2] });
  });

  it('renders a fragment forged with the shared symbol from its strings as they are now', () => {
    const strings = ['select ', ''];
    const forged = { [Symbol.for('switchyard.sql.fragment')]: true, strings, values: [1] } as never;
    expect(compile(forged).text).toBe('select $1');
    strings[0] = 'delete ';
    expect(compile(forged).text).toBe('delete $1');
  });
});
