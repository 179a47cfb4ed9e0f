import {
  bodyToBytes,
  bodyToStream,
  resolveExpiresIn,
  resolveRange,
  storedObject,
  streamToBytes,
  validateListOptions,
  validateMaxBytes,
  validatePutOptions,
} from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

const context = { provider: 'test', operation: 'put' };

describe('put options', () => {
  it('accepts ordinary metadata and content types', () => {
    expect(() =>
      validatePutOptions({ contentType: 'image/svg+xml; charset=utf-8', metadata: { owner: 'u-1', 'x-2': 'v v' } }, context),
    ).not.toThrow();
  });

  it.each([
    ['contentType', { contentType: 'jpeg' }],
    ['metadata key', { metadata: { Owner: 'x' } }],
    ['metadata key', { metadata: { 'a b': 'x' } }],
    ['metadata value', { metadata: { a: 'naïve' } }],
    ['bytes', { metadata: { big: 'x'.repeat(3000) } }],
    ['contentLength', { contentLength: -1 }],
  ])('refuses a bad %s', (why, options) => {
    expect(() => validatePutOptions(options, context)).toThrow(why);
  });
});

describe('list, expiry, size and range options', () => {
  it('bounds list limits and cursors', () => {
    expect(() => validateListOptions({ limit: 1 }, context)).not.toThrow();
    expect(() => validateListOptions({ limit: 1000 }, context)).not.toThrow();
    expect(() => validateListOptions({ limit: 0 }, context)).toThrow('1 to 1000');
    expect(() => validateListOptions({ limit: 2.5 }, context)).toThrow('1 to 1000');
    expect(() => validateListOptions({ cursor: '' }, context)).toThrow('cursor');
  });

  it('defaults and bounds expiresIn', () => {
    expect(resolveExpiresIn(undefined, 900, context)).toBe(900);
    expect(resolveExpiresIn(60, 900, context)).toBe(60);
    expect(() => resolveExpiresIn(0, 900, context)).toThrow('expiresIn');
    expect(() => resolveExpiresIn(604_801, 900, context)).toThrow('expiresIn');
    expect(() => resolveExpiresIn(1.5, 900, context)).toThrow('expiresIn');
  });

  it('refuses a non-positive maxBytes', () => {
    expect(() => validateMaxBytes(1, context)).not.toThrow();
    expect(() => validateMaxBytes(0, context)).toThrow('maxBytes');
  });

  it('resolves inclusive ranges and clamps the end', () => {
    expect(resolveRange(undefined, 10, context)).toBeUndefined();
    expect(resolveRange({ start: 2, end: 4 }, 10, context)).toEqual({ start: 2, end: 4 });
    expect(resolveRange({ start: 2 }, 10, context)).toEqual({ start: 2, end: 9 });
    expect(resolveRange({ start: 2, end: 99 }, 10, context)).toEqual({ start: 2, end: 9 });
    expect(() => resolveRange({ start: 10 }, 10, context)).toThrow('10 bytes');
    expect(() => resolveRange({ start: 5, end: 4 }, 10, context)).toThrow('end >= start');
  });
});

describe('bodies', () => {
  const expected = new Uint8Array([104, 105]);

  it('normalises strings, bytes, web streams and async iterables', async () => {
    async function* chunks() {
      yield new Uint8Array([104]);
      yield new Uint8Array([105]);
    }
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([104, 105]));
        controller.close();
      },
    });
    for (const body of ['hi', expected, web, chunks()]) {
      expect(await bodyToBytes(body)).toEqual(expected);
    }
    expect(await streamToBytes(bodyToStream(new Uint8Array()))).toEqual(new Uint8Array());
  });

  it('storedObject reads the body as bytes or text', async () => {
    const info = { key: 'k', size: 2, contentType: 'text/plain', metadata: {}, lastModified: new Date() };
    expect(await storedObject(info, bodyToStream('hi')).text()).toBe('hi');
    expect(await storedObject(info, bodyToStream('hi')).bytes()).toEqual(expected);
  });
});
