import { describe, expect, it } from 'vitest';
import { itWhen } from '../capability.js';
import { expectSwitchyardError } from '../expect-error.js';
import { patternBytes } from '../random.js';
import type { StorageSuiteContext } from './context.js';

const INVALID_KEYS: Record<string, string> = {
  'a parent segment': '../x',
  'a parent segment in the middle': 'a/../../b',
  'an absolute path': '/abs',
  'an empty key': '',
  '1,025 bytes': 'k'.repeat(1025),
  '1,025 bytes of multi-byte characters': `${'é'.repeat(512)}x`,
  'a NUL character': 'a\u0000b',
  'a newline': 'a\nb',
  'a DEL character': 'a\u007fb',
  'a current-directory segment': 'a/./b',
  'a lone high surrogate': 'a\uD800b',
  'a lone low surrogate': 'a\uDC00b',
  'a lone surrogate at the end': 'photos/a\uD83D',
};

export function keyCases(ctx: StorageSuiteContext): void {
  describe('key validation', () => {
    for (const [label, bad] of Object.entries(INVALID_KEYS)) {
      it(`refuses ${label} with INVALID_INPUT before any I/O`, async () => {
        let bodyRead = false;
        // highWaterMark 0: the stream pulls only when someone reads it.
        const body = new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              bodyRead = true;
              controller.enqueue(new Uint8Array([1]));
              controller.close();
            },
          },
          { highWaterMark: 0 },
        );
        const good = ctx.key();
        const port = ctx.port();
        await expectSwitchyardError(port.put(bad, body), 'INVALID_INPUT');
        expect(bodyRead, 'put read the body of a request with an invalid key').toBe(false);
        await expectSwitchyardError(port.get(bad), 'INVALID_INPUT');
        await expectSwitchyardError(port.head(bad), 'INVALID_INPUT');
        await expectSwitchyardError(port.delete(bad), 'INVALID_INPUT');
        await expectSwitchyardError(port.delete([good, bad]), 'INVALID_INPUT');
        await expectSwitchyardError(port.copy(bad, good), 'INVALID_INPUT');
        await expectSwitchyardError(port.copy(good, bad), 'INVALID_INPUT');
        await expectSwitchyardError(port.createUploadUrl(bad), 'INVALID_INPUT');
        await expectSwitchyardError(port.createDownloadUrl(bad), 'INVALID_INPUT');
        await expectSwitchyardError(port.publicUrl(bad), 'INVALID_INPUT');
      });
    }

    it('accepts a key of exactly 1,024 bytes', async () => {
      const prefix = ctx.folder();
      // Where segments are limited, the same length is made of segments that fit.
      const segment = ctx.port().capabilities.maxKeySegmentBytes ?? 1024;
      let rest = 'k'.repeat(1024 - prefix.length);
      for (let at = segment; at < rest.length - 1; at += segment + 1) rest = `${rest.slice(0, at)}/${rest.slice(at + 1)}`;
      const long = `${prefix}${rest}`;
      expect(new TextEncoder().encode(long).length).toBe(1024);
      await ctx.port().put(long, 'long');
      expect(await (await ctx.port().get(long)).text()).toBe('long');
    });

    itWhen(
      'refuses a segment longer than maxKeySegmentBytes before any I/O',
      () => ({ declared: ctx.port().capabilities.maxKeySegmentBytes !== undefined, label: 'maxKeySegmentBytes' }),
      async () => {
        const port = ctx.port();
        const key = `${ctx.folder()}${'k'.repeat((port.capabilities.maxKeySegmentBytes ?? 0) + 1)}`;
        await expectSwitchyardError(port.put(key, 'x'), 'INVALID_INPUT');
        await expectSwitchyardError(port.get(key), 'INVALID_INPUT');
        await expectSwitchyardError(port.createUploadUrl(key), 'INVALID_INPUT');
        await expectSwitchyardError(port.copy(ctx.key(), key), 'INVALID_INPUT');
      },
    );

    it('stores unicode segments where declared, and otherwise refuses them before any I/O', async () => {
      const unicode = `${ctx.folder()}фото/été 2026/😀.jpg`;
      if (ctx.port().capabilities.unicodeKeys) {
        await ctx.port().put(unicode, 'unicode');
        expect(await (await ctx.port().get(unicode)).text()).toBe('unicode');
        expect((await ctx.port().list({ prefix: unicode })).items.map((item) => item.key)).toEqual([unicode]);
      } else {
        await expectSwitchyardError(ctx.port().put(unicode, 'unicode'), 'INVALID_INPUT');
        await expectSwitchyardError(ctx.port().get(unicode), 'INVALID_INPUT');
        await expectSwitchyardError(ctx.port().createUploadUrl(unicode), 'INVALID_INPUT');
      }
    });

    it('refuses invalid metadata before writing anything', async () => {
      const key = ctx.key();
      await expectSwitchyardError(ctx.port().put(key, 'x', { metadata: { 'Bad Key': 'v' } }), 'INVALID_INPUT');
      await expectSwitchyardError(ctx.port().put(key, 'x', { metadata: { ok: 'naïve' } }), 'INVALID_INPUT');
      await expectSwitchyardError(ctx.port().put(key, 'x', { contentType: 'not a type' }), 'INVALID_INPUT');
      expect(await ctx.port().head(key)).toBeNull();
    });
  });

  describe('range reads', () => {
    const rangeReads = () => ({ declared: ctx.port().capabilities.rangeReads, label: 'rangeReads' });

    itWhen('returns the requested inclusive byte range', rangeReads, async () => {
      const key = ctx.key();
      const body = patternBytes(1000);
      await ctx.port().put(key, body);
      const part = await ctx.port().get(key, { range: { start: 10, end: 19 } });
      const bytes = await part.bytes();
      expect(Buffer.from(bytes).equals(Buffer.from(body.subarray(10, 20)))).toBe(true);
      expect(part.range).toEqual({ start: 10, end: 19 });
      const tail = await (await ctx.port().get(key, { range: { start: 990 } })).bytes();
      expect(Buffer.from(tail).equals(Buffer.from(body.subarray(990)))).toBe(true);
    });

    itWhen('refuses a range that starts past the end', rangeReads, async () => {
      const key = ctx.key();
      await ctx.port().put(key, patternBytes(10));
      await expectSwitchyardError(ctx.port().get(key, { range: { start: 10 } }), 'INVALID_INPUT');
    });
  });
}
