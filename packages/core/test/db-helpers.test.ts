import {
  ASUSER_SETUP_SQL,
  asUserSettings,
  mapPostgresError,
  SUPABASE_COMPAT_SQL,
  SwitchyardError,
  singleRow,
} from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

const context = { provider: 'test', operation: 'query' };

describe('asUserSettings', () => {
  it('builds PostgREST-shaped claims with the user id as sub', () => {
    const { role, claims } = asUserSettings({ id: 'u-1', email: 'a@b.co', claims: { aal: 'aal1', sub: 'ignored' } }, context);
    expect(role).toBe('authenticated');
    expect(JSON.parse(claims)).toEqual({ aud: 'authenticated', aal: 'aal1', sub: 'u-1', role: 'authenticated', email: 'a@b.co' });
  });

  it('refuses roles outside the allowed set and empty ids', () => {
    expect(() => asUserSettings({ id: 'u', role: 'postgres' }, context)).toThrow(/not allowed/);
    expect(() => asUserSettings({ id: 'u', role: 'app_user' }, { ...context, allowedRoles: ['app_user'] })).not.toThrow();
    expect(() => asUserSettings({ id: '' }, context)).toThrow(/non-empty/);
  });

  it('sets role and claims transaction-locally in one statement', () => {
    expect(ASUSER_SETUP_SQL).toContain("set_config('role', $1, true)");
    expect(ASUSER_SETUP_SQL).toContain("set_config('request.jwt.claims', $2, true)");
    expect(SUPABASE_COMPAT_SQL).toContain('create or replace function auth.uid()');
  });
});

describe('mapPostgresError', () => {
  it.each([
    ['23505', 'CONFLICT'],
    ['40001', 'CONFLICT'],
    ['23502', 'INVALID_INPUT'],
    ['42601', 'INVALID_INPUT'],
    ['22012', 'INVALID_INPUT'],
    ['42501', 'FORBIDDEN'],
    ['57014', 'UNAVAILABLE'],
    ['08006', 'UNAVAILABLE'],
    ['28P01', 'CONFIG'],
    ['ECONNREFUSED', 'UNAVAILABLE'],
  ])('maps %s to %s and keeps the cause', (sqlstate, code) => {
    const cause = Object.assign(new Error('driver says no'), { code: sqlstate });
    const error = mapPostgresError(cause, context);
    expect(error.code).toBe(code);
    expect(error.cause).toBe(cause);
    expect(error.port).toBe('db');
  });

  it('marks connection failures and serialization failures retryable', () => {
    expect(mapPostgresError(Object.assign(new Error('x'), { code: '08006' }), context).retryable).toBe(true);
    expect(mapPostgresError(Object.assign(new Error('x'), { code: '40001' }), context).retryable).toBe(true);
    expect(mapPostgresError(Object.assign(new Error('x'), { code: '23505' }), context).retryable).toBe(false);
  });

  it('makes a write refused by a read-only database (a primary frozen for the switch, a replica after failover) a retryable UNAVAILABLE', () => {
    const error = mapPostgresError(
      Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
      context,
    );
    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('passes SwitchyardErrors through unchanged', () => {
    const original = new SwitchyardError({ code: 'NOT_FOUND', message: 'x' });
    expect(mapPostgresError(original, context)).toBe(original);
  });
});

describe('singleRow', () => {
  it('implements one and maybeOne', () => {
    expect(singleRow({ rows: [{ a: 1 }], rowCount: 1 }, true, context)).toEqual({ a: 1 });
    expect(singleRow({ rows: [], rowCount: 0 }, false, context)).toBeNull();
    expect(() => singleRow({ rows: [], rowCount: 0 }, true, context)).toThrow(/none/);
    expect(() => singleRow({ rows: [{}, {}], rowCount: 2 }, false, context)).toThrow(/returned 2/);
  });
});
