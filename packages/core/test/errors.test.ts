import { adapterErrors, deleteFailed, SwitchyardError, unsupported } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

describe('SwitchyardError', () => {
  it('carries code, port, provider, operation, reason and cause', () => {
    const cause = new Error('socket hang up');
    const error = new SwitchyardError({
      code: 'UNAUTHENTICATED',
      reason: 'expired',
      port: 'auth',
      provider: 'local',
      operation: 'verifyAccessToken',
      message: 'token expired',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SwitchyardError');
    expect(error).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'expired',
      port: 'auth',
      provider: 'local',
      operation: 'verifyAccessToken',
    });
    expect(error.cause).toBe(cause);
  });

  it('defaults retryable by code', () => {
    expect(new SwitchyardError({ code: 'UNAVAILABLE', message: 'x' }).retryable).toBe(true);
    expect(new SwitchyardError({ code: 'RATE_LIMITED', message: 'x' }).retryable).toBe(true);
    expect(new SwitchyardError({ code: 'NOT_FOUND', message: 'x' }).retryable).toBe(false);
    expect(new SwitchyardError({ code: 'CONFLICT', message: 'x', retryable: true }).retryable).toBe(true);
  });

  it('isInstance recognises an error from another copy of the package', () => {
    // A second copy would have its own class but the same registry-wide symbol.
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('switchyard.error')]: true, code: 'NOT_FOUND' });
    expect(SwitchyardError.isInstance(foreign)).toBe(true);
    expect(SwitchyardError.isInstance(new Error('plain'))).toBe(false);
    expect(SwitchyardError.isInstance(null)).toBe(false);
    expect(SwitchyardError.isInstance({ code: 'NOT_FOUND' })).toBe(false);
  });

  it('hasCode narrows by code', () => {
    const error = new SwitchyardError({ code: 'CONFLICT', message: 'taken' });
    expect(SwitchyardError.hasCode(error, 'CONFLICT')).toBe(true);
    expect(SwitchyardError.hasCode(error, 'NOT_FOUND')).toBe(false);
  });

  it('builds adapter errors with their context', () => {
    const context = { port: 'storage' as const, provider: 'aws', operation: 'publicUrl' };
    const errors = adapterErrors('storage', 'aws');
    expect(errors.error('publicUrl', 'FORBIDDEN', 'denied')).toMatchObject({
      code: 'FORBIDDEN',
      port: 'storage',
      provider: 'aws',
      operation: 'publicUrl',
    });
    expect(errors.config('AWS_REGION is not set')).toMatchObject({ code: 'CONFIG', operation: 'create', retryable: false });
    expect(errors.refused('verifyAccessToken', 'expired', 'expired', 'why')).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'expired',
      cause: 'why',
    });
    const error = unsupported(context, 'public URLs');
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toContain('public URLs');
  });

  it('prints code, message, context and details as JSON, without the cause', () => {
    const error = new SwitchyardError({
      code: 'UNAUTHENTICATED',
      reason: 'expired',
      port: 'auth',
      provider: 'aws',
      operation: 'verifyAccessToken',
      message: 'The access token has expired.',
      details: { hint: 'refresh' },
      cause: { headers: { authorization: 'Bearer secret-token' } },
    });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      name: 'SwitchyardError',
      code: 'UNAUTHENTICATED',
      reason: 'expired',
      message: 'The access token has expired.',
      port: 'auth',
      provider: 'aws',
      operation: 'verifyAccessToken',
      retryable: false,
      details: { hint: 'refresh' },
    });
    expect(JSON.stringify({ event: { error } })).not.toContain('secret-token');
  });
});

describe('deleteFailed', () => {
  it('lists every key with its own code and message, and takes the code they share', () => {
    const error = deleteFailed(
      { provider: 'aws' },
      [
        { key: 'a', code: 'FORBIDDEN', message: 'denied' },
        { key: 'b', code: 'FORBIDDEN', message: 'denied' },
      ],
      3,
    );
    expect(error).toMatchObject({ code: 'FORBIDDEN', retryable: false, port: 'storage', operation: 'delete', provider: 'aws' });
    expect(error.details?.failed).toEqual([
      { key: 'a', code: 'FORBIDDEN', message: 'denied' },
      { key: 'b', code: 'FORBIDDEN', message: 'denied' },
    ]);
    expect(error.message).toContain('2 of 3');
  });

  it('is UNAVAILABLE for mixed codes, and retryable only when every failure is', () => {
    const mixed = deleteFailed(
      { provider: 'local' },
      [
        { key: 'a', code: 'UNAVAILABLE', message: 'EIO' },
        { key: 'b', code: 'FORBIDDEN', message: 'EACCES' },
      ],
      2,
    );
    expect(mixed).toMatchObject({ code: 'UNAVAILABLE', retryable: false });
    const transient = deleteFailed({ provider: 'local' }, [{ key: 'a', code: 'RATE_LIMITED', message: 'slow down' }], 1);
    expect(transient).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
  });
});
