import { describe, expect, it } from 'vitest';
import { itWhen } from '../capability.js';
import { expectSwitchyardError } from '../expect-error.js';
import type { StorageSuiteContext } from './context.js';

/**
 * Conditional writes: what keeps a copy (backfill, repair, copy-forward) from replacing a version
 * an application wrote after the copy looked. The provider decides atomically.
 */
export function conditionalCases(ctx: StorageSuiteContext): void {
  const declared = () => ({ declared: ctx.port().capabilities.conditionalPut, label: 'conditionalPut' });

  describe('conditional put', () => {
    it('refuses ifMatch and ifNoneMatch with UNSUPPORTED where not declared, writing nothing', async () => {
      if (ctx.port().capabilities.conditionalPut) return;
      const key = ctx.key();
      await expectSwitchyardError(ctx.port().put(key, 'x', { ifNoneMatch: '*' }), 'UNSUPPORTED');
      await expectSwitchyardError(ctx.port().put(key, 'x', { ifMatch: '"abc"' }), 'UNSUPPORTED');
      expect(await ctx.port().head(key)).toBeNull();
    });

    itWhen('ifNoneMatch "*" creates a missing object and refuses to replace an existing one', declared, async () => {
      const key = ctx.key();
      const created = await ctx.port().put(key, 'first', { ifNoneMatch: '*' });
      expect(created.etag, 'a conditional put must report the etag it wrote').toBeTruthy();
      await expectSwitchyardError(ctx.port().put(key, 'second', { ifNoneMatch: '*' }), 'PRECONDITION_FAILED');
      expect(await (await ctx.port().get(key)).text()).toBe('first');
    });

    itWhen('ifMatch replaces only the version it names', declared, async () => {
      const key = ctx.key();
      const v1 = await ctx.port().put(key, 'v1');
      const v2 = await ctx.port().put(key, 'v2 written meanwhile');
      expect(v1.etag && v2.etag && v1.etag !== v2.etag, 'different bodies must get different etags').toBe(true);
      await expectSwitchyardError(ctx.port().put(key, 'stale copy', { ifMatch: v1.etag ?? '' }), 'PRECONDITION_FAILED');
      expect(await (await ctx.port().get(key)).text()).toBe('v2 written meanwhile');
      const head = await ctx.port().head(key);
      expect(head?.etag).toBe(v2.etag);
      const v3 = await ctx.port().put(key, 'v3', { ifMatch: head?.etag ?? '' });
      expect(v3.etag).not.toBe(v2.etag);
      expect(await (await ctx.port().get(key)).text()).toBe('v3');
    });

    itWhen('ifMatch on a key that is gone is PRECONDITION_FAILED and creates nothing', declared, async () => {
      const key = ctx.key();
      const v1 = await ctx.port().put(key, 'v1');
      await ctx.port().delete(key);
      await expectSwitchyardError(ctx.port().put(key, 'resurrected', { ifMatch: v1.etag ?? '' }), 'PRECONDITION_FAILED');
      expect(await ctx.port().head(key)).toBeNull();
    });

    itWhen('lets exactly one of many racing ifNoneMatch writes win', declared, async () => {
      const key = ctx.key();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => ctx.port().put(key, `writer ${i}`, { ifNoneMatch: '*' })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won.length).toBe(1);
      for (const lost of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect((lost.reason as { code?: string }).code).toBe('PRECONDITION_FAILED');
      }
    });

    itWhen('refuses ifMatch with ifNoneMatch, or an empty etag, as INVALID_INPUT', declared, async () => {
      const key = ctx.key();
      await expectSwitchyardError(ctx.port().put(key, 'x', { ifMatch: 'abc', ifNoneMatch: '*' }), 'INVALID_INPUT');
      await expectSwitchyardError(ctx.port().put(key, 'x', { ifMatch: '' }), 'INVALID_INPUT');
      expect(await ctx.port().head(key)).toBeNull();
    });
  });
}
