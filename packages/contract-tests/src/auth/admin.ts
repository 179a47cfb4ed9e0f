import { randomUUID } from 'node:crypto';
import type { AuthUser } from '@switchyard/core/adapter';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { expectSwitchyardError } from '../expect-error.js';
import { type AuthSuiteContext, freshEmail, signIn } from './context.js';

/**
 * A case that signs in, so needs the mailbox; with a capability too, it needs both. Otherwise it is
 * reported as skipped with a "not applicable" note, never as passed.
 */
function itSigningIn(
  ctx: AuthSuiteContext,
  name: string,
  capability: (() => { declared: boolean; label: string }) | undefined,
  fn: () => Promise<void>,
): void {
  it(name, async (context: TestContext) => {
    const needed = capability?.();
    if (needed && !needed.declared) {
      context.skip(`not applicable: the adapter does not declare ${needed.label}`);
      return;
    }
    if (!ctx.mailbox) {
      context.skip('not applicable: needs the mailbox harness (describeAuthAdmin runs without one)');
      return;
    }
    await fn();
  });
}

export function adminCases(ctx: AuthSuiteContext): void {
  const admin = () => ctx.port().admin;

  describe('admin', () => {
    it('creates, gets and gets by email (ignoring case)', async () => {
      const email = freshEmail(ctx);
      const created = await admin().createUser({ email, emailVerified: true, metadata: { displayName: 'Ada' } });
      expect(created.email).toBe(email);
      expect(created.id).toBeTruthy();
      expect((await admin().getUser(created.id))?.email).toBe(email);
      const byEmail = await admin().getUserByEmail(email.toUpperCase());
      expect(byEmail?.id).toBe(created.id);
      expect(byEmail?.metadata).toMatchObject({ displayName: 'Ada' });
    });

    it('returns null for unknown users', async () => {
      expect(await admin().getUserByEmail(freshEmail(ctx))).toBeNull();
      expect(await admin().getUser(randomUUID())).toBeNull();
    });

    it('refuses a duplicate email with CONFLICT', async () => {
      const email = freshEmail(ctx);
      await admin().createUser({ email });
      await expectSwitchyardError(admin().createUser({ email }), 'CONFLICT');
    });

    itSigningIn(
      ctx,
      'keeps a caller-chosen id, also through sign-in',
      () => ({ declared: ctx.port().capabilities.customUserId, label: 'customUserId' }),
      async () => {
        const id = randomUUID();
        const email = freshEmail(ctx);
        const created = await admin().createUser({ email, id, emailVerified: true });
        expect(created.id).toBe(id);
        expect((await admin().getUser(id))?.email).toBe(email);
        const session = await signIn(ctx, email);
        expect(session.user.id).toBe(id);
        expect((await ctx.port().verifyAccessToken(session.accessToken)).id).toBe(id);
      },
    );

    it('lists every user exactly once across pages', async () => {
      const created = new Set<string>();
      for (let i = 0; i < 5; i++) created.add((await admin().createUser({ email: freshEmail(ctx) })).id);
      const seen: AuthUser[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await admin().listUsers({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.users.length).toBeLessThanOrEqual(2);
        seen.push(...page.users);
        cursor = page.cursor;
        pages++;
        expect(pages, 'listUsers never ended').toBeLessThan(500);
      } while (cursor);
      const ids = seen.map((user) => user.id);
      expect(new Set(ids).size, 'a user was listed twice').toBe(ids.length);
      for (const id of created) expect(ids).toContain(id);
    });

    it('updates email, verification and metadata', async () => {
      const user = await admin().createUser({ email: freshEmail(ctx) });
      const email = freshEmail(ctx);
      const updated = await admin().updateUser(user.id, { email, emailVerified: true, metadata: { plan: 'pro' } });
      expect(updated.email).toBe(email);
      expect(updated.metadata).toMatchObject({ plan: 'pro' });
      expect((await admin().getUserByEmail(email))?.id).toBe(user.id);
    });

    it('refuses to update an unknown user with NOT_FOUND', async () => {
      await expectSwitchyardError(admin().updateUser(randomUUID(), { metadata: {} }), 'NOT_FOUND');
    });

    it('deletes a user idempotently', async () => {
      const user = await admin().createUser({ email: freshEmail(ctx) });
      await admin().deleteUser(user.id);
      expect(await admin().getUser(user.id)).toBeNull();
      await expect(admin().deleteUser(user.id)).resolves.toBeUndefined();
    });

    itSigningIn(ctx, 'lets an admin-created user sign in without creating another account', undefined, async () => {
      const email = freshEmail(ctx);
      const user = await admin().createUser({ email, emailVerified: true });
      await ctx.port().sendSignInEmail(email, { createUser: false });
      const session = await signIn(ctx, email);
      expect(session.user.id).toBe(user.id);
    });
  });
}
