import { SwitchyardError } from '@switchyard/core/adapter';
import { describe, expect, it, type TestContext, vi } from 'vitest';
import { expectSwitchyardError } from '../expect-error.js';
import { settleWithin } from '../faults.js';
import type { KeySetAdapter, KeySetFault, KeySetHarness } from '../fixtures.js';
import { type AuthSuiteContext, freshEmail } from './context.js';

const OUTAGES: readonly { mode: Exclude<KeySetFault, 'pass'>; label: string }[] = [
  { mode: 'refuse', label: 'refuses connections' },
  { mode: 'error', label: 'answers 500' },
  { mode: 'hang', label: 'never answers' },
];

/** The same token with a header naming a key nobody published. */
function withUnknownKid(token: string): string {
  const [header, payload, signature] = token.split('.');
  const decoded = JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...decoded, kid: `unknown-${Math.random().toString(36).slice(2)}` })).toString('base64url');
  return `${forged}.${payload}.${signature}`;
}

/** A fresh adapter on the key set's harness, and a token for an existing user. */
interface Prepared {
  harness: KeySetHarness;
  adapter: KeySetAdapter;
  token: string;
}

/**
 * Token verification while the issuer's key set (JWKS) fails: only a provably bad token is
 * refused; a key set that cannot be had is a retryable UNAVAILABLE (an identity-provider blip must
 * not sign everybody out); downloads are bounded and shared; cached keys outlive a failed refresh
 * for a bounded grace period; a rotated key is still picked up.
 */
export function keySetCases(ctx: AuthSuiteContext): void {
  /** The harness, a fresh adapter and a token for an existing user; skips where there is no key set. */
  async function prepare(context: TestContext): Promise<Prepared | undefined> {
    const harness = ctx.harness().keySet;
    if (!harness) {
      context.skip('not applicable: the adapter verifies with keys it holds and downloads no key set (the fixture gives no keySet)');
      return undefined;
    }
    const user = await ctx.port().admin.createUser({ email: freshEmail(ctx), emailVerified: true });
    const token = await ctx.harness().signAccessToken(user.id, {});
    const adapter = await harness.open();
    return { harness, adapter, token };
  }

  /** Runs `body` on a prepared adapter (skipped where there is none), then sets the key set back to pass and closes the adapter. */
  async function withKeySet(context: TestContext, body: (prepared: Prepared) => Promise<void>): Promise<void> {
    const prepared = await prepare(context);
    if (!prepared) return;
    try {
      await body(prepared);
    } finally {
      await prepared.harness.set('pass');
      await prepared.adapter.close();
    }
  }

  async function verifyWithin(harness: KeySetHarness, adapter: KeySetAdapter, token: string) {
    return settleWithin(adapter.port.verifyAccessToken(token), 2 * harness.timeoutMs + 1_000);
  }

  function expectUnavailable(outcome: { error?: unknown }, label: string): void {
    expect('error' in outcome, `the token verified although the key set ${label}`).toBe(true);
    const error = outcome.error;
    expect(SwitchyardError.isInstance(error), `a raw error: ${String(error)}`).toBe(true);
    expect((error as SwitchyardError).code, (error as Error).message).toBe('UNAVAILABLE');
    expect((error as SwitchyardError).retryable).toBe(true);
  }

  describe('verifyAccessToken while the key set fails', () => {
    for (const { mode, label } of OUTAGES) {
      it(`reports a key set that ${label} as a retryable UNAVAILABLE, never a refusal, then recovers by itself`, (context) =>
        withKeySet(context, async ({ harness, adapter, token }) => {
          await harness.set(mode);
          expectUnavailable(await verifyWithin(harness, adapter, token), label);
          expect(adapter.events.map((event) => event.state)).toContain('unavailable');
          await harness.set('pass');
          adapter.advance(harness.recoveryMs);
          const recovered = await verifyWithin(harness, adapter, token);
          expect(recovered.error, 'no recovery once the key set answered again').toBeUndefined();
          expect(adapter.events.at(-1)?.state).toBe('recovered');
        }));
    }

    it('downloads a failing key set a handful of times per minute, however many tokens arrive', (context) =>
      withKeySet(context, async ({ harness, adapter, token }) => {
        await harness.set('error');
        const before = harness.fetches();
        // 1,000 sequential verifications spread over one minute of the adapter's clock.
        for (let i = 0; i < 1000; i++) {
          await expectSwitchyardError(adapter.port.verifyAccessToken(token), 'UNAVAILABLE');
          adapter.advance(60);
        }
        const downloads = harness.fetches() - before;
        expect(downloads, `${downloads} downloads for 1,000 tokens in a minute`).toBeLessThanOrEqual(5);
        expect(downloads).toBeGreaterThanOrEqual(1);
      }));

    it('lets concurrent callers share one download, while it hangs and once it answers', (context) =>
      withKeySet(context, async ({ harness, adapter, token }) => {
        await harness.set('hang');
        let before = harness.fetches();
        const hung = await Promise.all(Array.from({ length: 20 }, () => verifyWithin(harness, adapter, token)));
        for (const outcome of hung) expectUnavailable(outcome, 'never answers');
        expect(harness.fetches() - before, 'downloads for 20 concurrent tokens').toBe(1);
        await harness.set('pass');
        adapter.advance(harness.recoveryMs);
        before = harness.fetches();
        const verified = await Promise.all(Array.from({ length: 20 }, () => adapter.port.verifyAccessToken(token)));
        expect(verified).toHaveLength(20);
        expect(harness.fetches() - before, 'downloads for 20 concurrent tokens').toBe(1);
      }));

    it('keeps verifying with cached keys past their max age while refreshes fail, for a bounded grace period, and reports it', (context) =>
      withKeySet(context, async ({ harness, adapter, token }) => {
        await adapter.port.verifyAccessToken(token);
        await harness.set('error');
        adapter.advance(harness.maxAgeMs + 1);
        await expect(adapter.port.verifyAccessToken(token), 'stale keys must still verify').resolves.toBeDefined();
        await vi.waitFor(() => expect(adapter.events.map((event) => event.state)).toContain('stale'), {
          timeout: 2 * harness.timeoutMs + 1_000,
        });
        adapter.advance(harness.staleIfErrorMs);
        expectUnavailable(await verifyWithin(harness, adapter, token), 'fails past the grace period');
        await harness.set('pass');
        adapter.advance(harness.recoveryMs);
        await expect(adapter.port.verifyAccessToken(token)).resolves.toBeDefined();
        expect(adapter.events.at(-1)?.state).toBe('recovered');
      }));

    it('picks up a rotated key, and looks up unknown keys a bounded number of times', async (context) => {
      const prepared = await prepare(context);
      if (!prepared) return;
      const { harness, adapter, token } = prepared;
      try {
        await adapter.port.verifyAccessToken(token);
        await harness.rotate();
        const user = await ctx.port().admin.createUser({ email: freshEmail(ctx), emailVerified: true });
        const rotated = await ctx.harness().signAccessToken(user.id, {});
        expect((await adapter.port.verifyAccessToken(rotated)).id).toBe(user.id);
        const before = harness.fetches();
        for (let i = 0; i < 20; i++) {
          await expectSwitchyardError(adapter.port.verifyAccessToken(withUnknownKid(rotated)), 'UNAUTHENTICATED', 'invalid');
        }
        expect(harness.fetches() - before, 'downloads for 20 tokens naming unknown keys').toBeLessThanOrEqual(1);
        expect((await adapter.port.verifyAccessToken(token)).id, 'the old key still verifies').toBeDefined();
      } finally {
        await adapter.close();
      }
    });
  });
}
