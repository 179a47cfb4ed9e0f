import { SwitchyardError, switchyardError, unsupported } from '@switchyard/core';
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
    expect(switchyardError(context, 'FORBIDDEN', 'denied')).toMatchObject({ code: 'FORBIDDEN', provider: 'aws', operation: 'publicUrl' });
    const error = unsupported(context, 'public URLs');
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toContain('public URLs');
  });
});
