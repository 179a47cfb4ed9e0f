import {
  bodyToBytes,
  bodyToStream,
  isRereadable,
  putOptionsFor,
  SwitchyardError,
  streamToBytes,
  validateBody,
  wholeBytes,
} from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

const context = { provider: 'test', operation: 'put' };

describe('bodies', () => {
  const bytes = new Uint8Array([1, 2, 3, 4]);
  const padded = new Uint8Array([9, 1, 2, 3, 4, 9]);

  it('reads every accepted type to the same bytes, honouring view offsets', async () => {
    const all = [
      bytes,
      bytes.slice().buffer,
      padded.subarray(1, 5),
      new DataView(padded.buffer, 1, 4),
      Buffer.from(bytes),
      new Blob([bytes]),
      new File([bytes], 'x.bin'),
      bodyToStream(bytes),
      (async function* () {
        yield bytes.subarray(0, 2);
        yield bytes.subarray(2);
      })(),
    ];
    for (const body of all) {
      validateBody(body, context);
      expect([...(await bodyToBytes(body))]).toEqual([1, 2, 3, 4]);
    }
    expect([...(await streamToBytes(bodyToStream(new DataView(padded.buffer, 1, 4))))]).toEqual([1, 2, 3, 4]);
  });

  it('views whole bodies without copying and knows which bodies can be read twice', () => {
    expect(wholeBytes(padded.subarray(1, 5))?.buffer).toBe(padded.buffer);
    expect(wholeBytes(new Blob([bytes]))).toBeUndefined();
    expect(isRereadable(new Blob([bytes]))).toBe(true);
    expect(isRereadable('text')).toBe(true);
    expect(isRereadable(bodyToStream(bytes))).toBe(false);
  });

  it("takes a Blob's size and type unless the caller gave them", () => {
    const blob = new Blob(['hello'], { type: 'image/png' });
    expect(putOptionsFor(blob, undefined)).toEqual({ contentLength: 5, contentType: 'image/png' });
    expect(putOptionsFor(blob, { contentType: 'text/plain' })).toEqual({ contentLength: 5, contentType: 'text/plain' });
    expect(putOptionsFor(new Blob(['x']), {})).toEqual({ contentLength: 1 });
    expect(putOptionsFor(new ArrayBuffer(3), {})).toEqual({ contentLength: 3 });
    expect(putOptionsFor(bodyToStream(bytes), {})).toEqual({});
  });

  it('refuses anything else with INVALID_INPUT that says what to pass', () => {
    for (const bad of [42, null, undefined, { a: 1 }, [1, 2], true]) {
      let caught: unknown;
      try {
        validateBody(bad, context);
      } catch (error) {
        caught = error;
      }
      expect(SwitchyardError.hasCode(caught, 'INVALID_INPUT')).toBe(true);
      expect((caught as Error).message).toMatch(/ArrayBuffer.*Blob/);
    }
  });
});
