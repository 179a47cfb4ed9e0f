import type { StorageCapabilities } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { itWhen } from '../capability.js';
import { expectSwitchyardError } from '../expect-error.js';
import { patternBytes, sleep } from '../random.js';
import type { StorageSuiteContext } from './context.js';
import { drain, tamperSignature, uploadThrough } from './http.js';

// Signatures carry whole seconds; wait past the next second boundary plus clock slack.
const PAST_EXPIRY_MS = 2_500;

export function signedUrlCases(ctx: StorageSuiteContext): void {
  const when = (flag: keyof StorageCapabilities) => () => ({
    declared: ctx.port().capabilities[flag] === true,
    label: flag,
  });

  describe('createUploadUrl', () => {
    it('returns a target that plain fetch can upload to', async () => {
      const key = ctx.key('photo.png');
      const before = Date.now();
      const target = await ctx.port().createUploadUrl(key, { contentType: 'image/png', maxBytes: 10_000 });
      expect(target.expiresAt.getTime()).toBeGreaterThan(before);
      const body = patternBytes(2048);
      const response = await uploadThrough(target, body, 'image/png');
      await drain(response);
      expect(response.status, `upload answered ${response.status}`).toBeLessThan(300);
      const object = await ctx.port().get(key);
      expect(Buffer.from(await object.bytes()).equals(Buffer.from(body))).toBe(true);
      expect(object.info.contentType).toBe('image/png');
    });

    it('defaults to a 15-minute lifetime or declares the fixed one', async () => {
      const before = Date.now();
      const target = await ctx.port().createUploadUrl(ctx.key());
      const seconds = (target.expiresAt.getTime() - before) / 1000;
      const expiry = ctx.port().capabilities.uploadUrlExpiry;
      const expected = expiry === 'requested' ? 900 : expiry;
      expect(seconds).toBeGreaterThan(expected - 5);
      expect(seconds).toBeLessThanOrEqual(expected + 5);
    });

    itWhen(
      'is refused after it expires',
      () => ({ declared: ctx.port().capabilities.uploadUrlExpiry === 'requested', label: "uploadUrlExpiry: 'requested'" }),
      async () => {
        const key = ctx.key();
        const target = await ctx.port().createUploadUrl(key, { expiresIn: 1, contentType: 'text/plain' });
        await sleep(PAST_EXPIRY_MS);
        const response = await uploadThrough(target, new TextEncoder().encode('late'), 'text/plain');
        await drain(response);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(await ctx.port().head(key)).toBeNull();
      },
      15_000,
    );

    itWhen('refuses an upload with another content type', when('uploadUrlEnforcesContentType'), async () => {
      const key = ctx.key();
      const target = await ctx.port().createUploadUrl(key, { contentType: 'image/png' });
      const response = await uploadThrough(target, patternBytes(100), 'text/html');
      await drain(response);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await ctx.port().head(key)).toBeNull();
    });

    itWhen('refuses an upload larger than maxBytes', when('uploadUrlEnforcesMaxBytes'), async () => {
      const key = ctx.key();
      const target = await ctx.port().createUploadUrl(key, { contentType: 'image/png', maxBytes: 1000 });
      const response = await uploadThrough(target, patternBytes(1001), 'image/png');
      await drain(response);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await ctx.port().head(key)).toBeNull();
    });

    it('refuses an out-of-range expiresIn or maxBytes', async () => {
      await expectSwitchyardError(ctx.port().createUploadUrl(ctx.key(), { expiresIn: 0 }), 'INVALID_INPUT');
      await expectSwitchyardError(ctx.port().createUploadUrl(ctx.key(), { expiresIn: 8 * 24 * 3600 }), 'INVALID_INPUT');
      await expectSwitchyardError(ctx.port().createUploadUrl(ctx.key(), { maxBytes: -1 }), 'INVALID_INPUT');
    });
  });

  describe('createDownloadUrl', () => {
    it('returns a URL that plain fetch can download', async () => {
      const key = ctx.key('doc.txt');
      await ctx.port().put(key, 'download me', { contentType: 'text/plain' });
      const signed = await ctx.port().createDownloadUrl(key);
      const seconds = (signed.expiresAt.getTime() - Date.now()) / 1000;
      expect(seconds).toBeGreaterThan(3600 - 10);
      expect(seconds).toBeLessThanOrEqual(3600 + 5);
      const response = await fetch(signed.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('download me');
    });

    itWhen('names the file for downloadAs', when('downloadAs'), async () => {
      const key = ctx.key('raw.bin');
      await ctx.port().put(key, 'attachment', { contentType: 'text/plain' });
      const signed = await ctx.port().createDownloadUrl(key, { downloadAs: 'holiday photo.txt' });
      const response = await fetch(signed.url);
      await drain(response);
      expect(response.status).toBe(200);
      const disposition = response.headers.get('content-disposition') ?? '';
      expect(disposition).toMatch(/^attachment/);
      expect(decodeURIComponent(disposition)).toContain('holiday photo.txt');
    });

    it('is refused after it expires', async () => {
      const key = ctx.key();
      await ctx.port().put(key, 'soon gone');
      const signed = await ctx.port().createDownloadUrl(key, { expiresIn: 1 });
      await sleep(PAST_EXPIRY_MS);
      const response = await fetch(signed.url);
      await drain(response);
      expect(response.status).toBeGreaterThanOrEqual(400);
    }, 15_000);

    it('is refused when its signature is tampered with', async () => {
      const key = ctx.key();
      await ctx.port().put(key, 'guarded');
      const signed = await ctx.port().createDownloadUrl(key);
      const response = await fetch(tamperSignature(signed.url));
      const text = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(text).not.toContain('guarded');
    });

    it('does not open another key with the same signature', async () => {
      const key = ctx.key('a.txt');
      const other = key.replace(/a\.txt$/, 'b.txt');
      await ctx.port().put(key, 'mine');
      await ctx.port().put(other, 'secret');
      const signed = await ctx.port().createDownloadUrl(key);
      const forged = signed.url.replace(encodeURIComponent('a.txt'), encodeURIComponent('b.txt')).replace('/a.txt', '/b.txt');
      expect(forged).not.toBe(signed.url);
      const response = await fetch(forged);
      const text = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(text).not.toContain('secret');
    });
  });

  describe('publicUrl', () => {
    it('returns a URL for the key, or UNSUPPORTED when not declared', async () => {
      const key = ctx.key('public.txt');
      if (ctx.port().capabilities.publicUrls) {
        const url = await ctx.port().publicUrl(key);
        expect(() => new URL(url)).not.toThrow();
        expect(decodeURIComponent(url)).toContain(key);
      } else {
        await expectSwitchyardError(ctx.port().publicUrl(key), 'UNSUPPORTED');
      }
    });
  });
}
