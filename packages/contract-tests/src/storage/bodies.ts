import { describe, expect, it } from 'vitest';
import { expectSwitchyardError } from '../expect-error.js';
import { patternBytes } from '../random.js';
import type { StorageSuiteContext } from './context.js';

/** The body types `Body` names, each holding the same bytes; a Blob's type becomes the content type. */
function bodies(bytes: Uint8Array): Record<string, () => unknown> {
  // A view into the middle of a larger buffer: adapters must honour byteOffset and byteLength.
  const padded = new Uint8Array(bytes.byteLength + 16);
  padded.set(bytes, 8);
  return {
    'an ArrayBuffer': () => bytes.slice().buffer,
    'a Uint8Array view at an offset': () => padded.subarray(8, 8 + bytes.byteLength),
    'a DataView': () => new DataView(padded.buffer, 8, bytes.byteLength),
    'a Node Buffer': () => Buffer.from(bytes),
    'a Blob': () => new Blob([bytes.slice()], { type: 'image/gif' }),
    'a File from a form': () => new File([bytes.slice()], 'me.gif', { type: 'image/gif' }),
  };
}

export function bodyCases(ctx: StorageSuiteContext): void {
  describe('put body types', () => {
    const bytes = patternBytes(70_001, 11);
    for (const [label, make] of Object.entries(bodies(bytes))) {
      it(`stores ${label} byte for byte`, async () => {
        const key = ctx.key();
        const info = await ctx.port().put(key, make() as Uint8Array);
        expect(info.size).toBe(bytes.byteLength);
        const object = await ctx.port().get(key);
        expect(Buffer.from(await object.bytes()).equals(Buffer.from(bytes))).toBe(true);
        if (label.includes('Blob') || label.includes('File')) expect(object.info.contentType).toBe('image/gif');
      });
    }

    it("keeps the caller's content type over a Blob's own", async () => {
      const key = ctx.key();
      await ctx.port().put(key, new Blob(['hi'], { type: 'text/plain' }), { contentType: 'text/markdown' });
      expect((await ctx.port().head(key))?.contentType).toBe('text/markdown');
    });

    for (const [label, bad] of Object.entries({ 'a number': 42, null: null, 'a plain object': { a: 1 }, 'an array of numbers': [1, 2] })) {
      it(`refuses ${label} with INVALID_INPUT and writes nothing`, async () => {
        const key = ctx.key();
        await expectSwitchyardError(ctx.port().put(key, bad as unknown as Uint8Array), 'INVALID_INPUT');
        expect(await ctx.port().head(key)).toBeNull();
      });
    }
  });
}
