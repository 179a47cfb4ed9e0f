import {
  keyCharactersProblem,
  keyProblem,
  keySegmentProblem,
  SwitchyardError,
  validateKey,
  validatePrefix,
} from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

const context = { provider: 'test', operation: 'put' };

describe('storage keys', () => {
  it.each([['users/1/photo.jpg'], ['a'], ['with space/and-ünïcödé/😀.png'], ['dots.in.names/..hidden/x..y'], ['k'.repeat(1024)]])(
    'accepts %j',
    (key) => {
      expect(keyProblem(key)).toBeNull();
    },
  );

  it.each([
    ['', 'empty'],
    ['../x', '".."'],
    ['a/../../b', '".."'],
    ['a/./b', '"."'],
    ['.', '"."'],
    ['/abs', 'start with "/"'],
    ['a//b', 'empty segments'],
    ['a/', 'empty segments'],
    ['a\\b', '"\\"'],
    ['k'.repeat(1025), '1024 UTF-8 bytes'],
    [`${'é'.repeat(512)}x`, '1024 UTF-8 bytes'],
    ['a\u0000b', 'control characters'],
    ['a\nb', 'control characters'],
    ['a\u007fb', 'control characters'],
    ['a\u0085b', 'control characters'],
  ])('refuses %j (%s)', (key, why) => {
    expect(keyProblem(key)).toContain(why);
  });

  it('refuses non-strings', () => {
    expect(keyProblem(42)).toContain('string');
    expect(keyProblem(undefined)).toContain('string');
  });

  it('validateKey throws INVALID_INPUT with the adapter context', () => {
    try {
      validateKey('../etc/passwd', context);
      expect.unreachable();
    } catch (error) {
      expect(SwitchyardError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', port: 'storage', provider: 'test', operation: 'put' });
    }
  });

  it('validatePrefix allows partial segments and a trailing slash but not traversal', () => {
    expect(() => validatePrefix('users/1/', context)).not.toThrow();
    expect(() => validatePrefix('users/1/ph', context)).not.toThrow();
    expect(() => validatePrefix('', context)).not.toThrow();
    expect(() => validatePrefix(undefined, context)).not.toThrow();
    expect(() => validatePrefix('../', context)).toThrow(/prefix/);
    expect(() => validatePrefix('/abs', context)).toThrow(/prefix/);
  });

  it('refuses lone UTF-16 surrogates, which have no UTF-8 form, and keeps paired ones', () => {
    expect(keyProblem('a\uD800b')).toMatch(/well-formed Unicode/);
    expect(keyProblem('a\uDC00b')).toMatch(/well-formed Unicode/);
    expect(keyProblem('photo\uD83D')).toMatch(/well-formed Unicode/);
    expect(keyProblem('\uDE00x')).toMatch(/well-formed Unicode/);
    expect(keyProblem('a\uFFFDb')).toBeNull();
    expect(keyProblem('smile-\uD83D\uDE00.jpg')).toBeNull();
  });

  it('keyCharactersProblem names the first character a provider cannot hold', () => {
    expect(keyCharactersProblem('a b', undefined)).toBeNull();
    expect(keyCharactersProblem('a b+c', 'A-Za-z0-9 +')).toBeNull();
    expect(keyCharactersProblem('a%b', 'A-Za-z0-9 +')).toContain('"%"');
    expect(keyCharactersProblem('фото', 'A-Za-z')).toContain('"ф"');
  });

  it('keySegmentProblem counts the UTF-8 bytes of each segment against a declared limit', () => {
    expect(keySegmentProblem(`a/${'k'.repeat(300)}`, undefined)).toBeNull();
    expect(keySegmentProblem(`${'k'.repeat(255)}/${'k'.repeat(255)}`, 255)).toBeNull();
    expect(keySegmentProblem(`a/${'k'.repeat(256)}/b`, 255)).toMatch(/at most 255 bytes.*has 256/);
    // 128 two-byte characters are 256 bytes though only 128 UTF-16 units.
    expect(keySegmentProblem(`a/${'é'.repeat(128)}`, 255)).toMatch(/has 256/);
  });
});
