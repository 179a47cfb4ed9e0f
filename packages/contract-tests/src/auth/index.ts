import { afterAll, beforeAll, describe } from 'vitest';
import type { AuthFixture } from '../fixtures.js';
import { adminCases } from './admin.js';
import type { AuthSuiteContext } from './context.js';
import { signInCases } from './sign-in.js';
import { tokenCases } from './tokens.js';

/**
 * The AuthPort contract: sign-in by email, token verification, refresh and sign-out, and the
 * admin API. The harness reads the adapter's sign-in emails and signs tokens with its real key.
 */
export function describeAuthPort(name: string, factory: () => Promise<AuthFixture>): void {
  describe(`${name} (AuthPort contract)`, () => {
    let fixture: AuthFixture | undefined;
    const started = (): AuthFixture => {
      if (!fixture) throw new Error('the auth fixture failed to start; see the beforeAll error');
      return fixture;
    };
    const ctx: AuthSuiteContext = { port: () => started().port, harness: () => started().harness };

    beforeAll(async () => {
      fixture = await factory();
    });

    afterAll(async () => {
      await fixture?.teardown?.();
    });

    signInCases(ctx);
    tokenCases(ctx);
    adminCases(ctx);
  });
}
