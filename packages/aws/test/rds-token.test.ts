import { describe, expect, it } from 'vitest';
import { cachedAuthToken } from '../src/rds/iam-token.js';

describe('cachedAuthToken', () => {
  it('reuses a token for 14 minutes, then signs a new one; concurrent callers share one signing', async () => {
    let now = 0;
    let signed = 0;
    const password = cachedAuthToken(
      {
        getAuthToken: async () => {
          signed++;
          return `token-${signed}`;
        },
      },
      () => now,
    );
    expect(await Promise.all([password(), password(), password()])).toEqual(['token-1', 'token-1', 'token-1']);
    now = 14 * 60 * 1000 - 1;
    expect(await password()).toBe('token-1');
    now = 14 * 60 * 1000;
    expect(await password()).toBe('token-2');
    expect(signed).toBe(2);
  });

  it('does not cache a failed signing', async () => {
    let attempts = 0;
    const password = cachedAuthToken({
      getAuthToken: async () => {
        attempts++;
        if (attempts === 1) throw new Error('no credentials');
        return 'token';
      },
    });
    await expect(password()).rejects.toThrow('no credentials');
    expect(await password()).toBe('token');
  });
});
