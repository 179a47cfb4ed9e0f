import type { AuthPort, Session } from '@switchyard/core/adapter';
import { expect } from 'vitest';
import type { AuthHarness } from '../fixtures.js';
import { randomId } from '../random.js';

export interface AuthSuiteContext {
  port(): AuthPort;
  harness(): AuthHarness;
  /**
   * Whether `harness()` can read sign-in emails: false under `describeAuthAdmin`, whose cases that
   * sign in are then reported as not applicable.
   */
  mailbox: boolean;
  /** Put in front of every email address the suite uses (SuiteOptions.namePrefix). */
  namePrefix: string;
}

export function freshEmail(ctx: AuthSuiteContext): string {
  return `${ctx.namePrefix}user-${randomId()}@example.com`;
}

/** Signs `email` in through whichever proof the adapter sends (code first). */
export async function signIn(ctx: AuthSuiteContext, email: string): Promise<Session> {
  await ctx.port().sendSignInEmail(email);
  const mail = await ctx.harness().lastSignInEmail(email);
  expect(mail, `no sign-in email reached ${email}`).toBeDefined();
  if (ctx.port().capabilities.emailCode && mail?.code) return ctx.port().verifySignIn({ email, code: mail.code });
  if (mail?.tokenHash) return ctx.port().verifySignIn({ tokenHash: mail.tokenHash });
  throw new Error('the sign-in email had neither a code nor a link token');
}

/**
 * The reason a refusal must carry: the precise one where the adapter declares
 * `distinctRefusalReasons`, otherwise `invalid` (a provider that cannot tell must not guess).
 */
export function refusal(ctx: AuthSuiteContext, precise: 'expired' | 'revoked' | 'invalid'): 'expired' | 'revoked' | 'invalid' {
  return ctx.port().capabilities.distinctRefusalReasons ? precise : 'invalid';
}

/** A different code of the same shape, so only its value is wrong. */
export function wrongCode(code: string): string {
  const digits = code.split('');
  const last = digits.length - 1;
  digits[last] = String((Number(digits[last]) + 1) % 10);
  return digits.join('');
}
