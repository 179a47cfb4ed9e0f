import { afterAll, beforeAll, describe } from 'vitest';
import { faultCases } from '../faults.js';
import type { AuthFixture, SuiteOptions } from '../fixtures.js';
import { randomId } from '../random.js';
import { adminCases } from './admin.js';
import type { AuthSuiteContext } from './context.js';
import { keySetCases } from './key-set.js';
import { signInCases } from './sign-in.js';
import { tokenCases } from './tokens.js';

/**
 * The AuthPort contract: sign-in by email, token verification, refresh and sign-out, and the
 * admin API. The harness reads the adapter's sign-in emails and signs tokens with its real key.
 */
export function describeAuthPort(name: string, factory: () => Promise<AuthFixture>, options: SuiteOptions = {}): void {
  describe(`${name} (AuthPort contract)`, () => {
    let fixture: AuthFixture | undefined;
    const started = (): AuthFixture => {
      if (!fixture) throw new Error('the auth fixture failed to start; see the beforeAll error');
      return fixture;
    };
    const ctx: AuthSuiteContext = {
      port: () => started().port,
      harness: () => started().harness,
      namePrefix: options.namePrefix ?? '',
    };

    beforeAll(async () => {
      fixture = await factory();
    });

    afterAll(async () => {
      await fixture?.teardown?.();
    });

    signInCases(ctx);
    tokenCases(ctx);
    keySetCases(ctx);
    adminCases(ctx);
    faultCases(
      () => fixture?.faults,
      async () => {
        const user = await ctx.port().admin.createUser({ email: `${ctx.namePrefix}faults-${randomId()}@example.com` });
        return {
          'admin.getUser': { run: () => ctx.port().admin.getUser(user.id) },
          'admin.listUsers': { run: () => ctx.port().admin.listUsers({ limit: 5 }) },
        };
      },
    );
  });
}
