import { encodePayload, parseTopic, patternToRegExp, validateChannel, validateMessageId } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

const context = { provider: 'test', operation: 'publish' };

describe('pub/sub input', () => {
  it('accepts ordinary channel names and refuses odd ones', () => {
    expect(() => validateChannel('chat:room-1', context)).not.toThrow();
    expect(() => validateChannel('user@example.com/inbox', context)).not.toThrow();
    for (const bad of ['', 'has space', 'wild*', 'x'.repeat(256), 'tab\t']) {
      expect(() => validateChannel(bad, context)).toThrow(/Invalid channel/);
    }
  });

  it('parses topics and compiles patterns', () => {
    expect(parseTopic('a:b', context)).toEqual({ channel: 'a:b' });
    expect(parseTopic({ pattern: 'room:*' }, context)).toEqual({ pattern: 'room:*' });
    expect(() => parseTopic({ pattern: 'bad pattern' }, context)).toThrow(/Invalid pattern/);
    const regex = patternToRegExp('room.1:*');
    expect(regex.test('room.1:abc')).toBe(true);
    expect(regex.test('room.1:')).toBe(true);
    expect(regex.test('roomX1:abc')).toBe(false);
    expect(regex.test('xroom.1:abc')).toBe(false);
  });

  it('encodes JSON within the size limit', () => {
    expect(encodePayload({ a: [1, 'two'] }, 100, context)).toBe('{"a":[1,"two"]}');
    expect(() => encodePayload('x'.repeat(10), 11, context)).toThrow(/12 bytes/);
    expect(() => encodePayload('é'.repeat(5), 11, context)).toThrow(/12 bytes/);
    expect(() => encodePayload(undefined as never, 100, context)).toThrow(/JSON value/);
    expect(() => encodePayload(10n as never, 100, context)).toThrow(/JSON-serialisable/);
  });

  it('counts UTF-8 bytes exactly at the limit', () => {
    expect(encodePayload('x'.repeat(10), 12, context)).toBe(`"${'x'.repeat(10)}"`);
    expect(encodePayload('é'.repeat(5), 12, context)).toBe(`"${'é'.repeat(5)}"`);
    // Four bytes for one character held in two UTF-16 code units.
    expect(encodePayload('😀', 6, context)).toBe('"😀"');
    expect(() => encodePayload('😀', 5, context)).toThrow(/6 bytes/);
    expect(() => encodePayload('€'.repeat(4), 13, context)).toThrow(/14 bytes/);
  });

  it('validates caller-chosen message ids', () => {
    expect(() => validateMessageId(undefined, context)).not.toThrow();
    expect(() => validateMessageId('abc-123', context)).not.toThrow();
    expect(() => validateMessageId('', context)).toThrow();
    expect(() => validateMessageId('has space', context)).toThrow();
  });
});
