import { afterAll, beforeAll, describe } from 'vitest';
import { faultCases } from '../faults.js';
import type { AuthAdminFixture, AuthFixture, SuiteOptions } from '../fixtures.js';
import { randomId } from '../random.js';
import { adminCases } from './admin.js';
import type { AuthSuiteContext } from './context.js';
import { keySetCases } from './key-set.js';
import { signInCases } from './sign-in.js';
import { tokenCases } from './tokens.js';

/** Starts the fixture before the cases and tears it down after them, passed or failed. */
function fixtureHooks<F extends AuthFixture | AuthAdminFixture>(factory: () => Promise<F>): () => F | undefined {
  let fixture: F | undefined;
  beforeAll(async () => {
    fixture = await factory();
  });
  afterAll(async () => {
    await fixture?.teardown?.();
  });
  return () => fixture;
}

function started<F>(fixture: F | undefined): F {
  if (!fixture) throw new Error('the auth fixture failed to start; see the beforeAll error');
  return fixture;
}

/** The provider-fault cases on two admin calls. */
function adminFaultCases(ctx: AuthSuiteContext, fixture: () => AuthFixture | AuthAdminFixture | undefined): void {
  faultCases(
    () => fixture()?.faults,
    async () => {
      const user = await ctx.port().admin.createUser({ email: `${ctx.namePrefix}faults-${randomId()}@example.com` });
      return {
        'admin.getUser': { run: () => ctx.port().admin.getUser(user.id) },
        'admin.listUsers': { run: () => ctx.port().admin.listUsers({ limit: 5 }) },
      };
    },
  );
}

/**
 * The AuthPort contract: sign-in by email, token verification, refresh and sign-out, and the
 * admin API. The harness reads the adapter's sign-in emails and signs tokens with its real key.
 */
export function describeAuthPort(name: string, factory: () => Promise<AuthFixture>, options: SuiteOptions = {}): void {
  describe(`${name} (AuthPort contract)`, () => {
    const fixture = fixtureHooks(factory);
    const ctx: AuthSuiteContext = {
      port: () => started(fixture()).port,
      harness: () => started(fixture()).harness,
      mailbox: true,
      namePrefix: options.namePrefix ?? '',
    };
    signInCases(ctx);
    tokenCases(ctx);
    keySetCases(ctx);
    adminCases(ctx);
    adminFaultCases(ctx, fixture);
  });
}

/**
 * The part of the AuthPort contract that needs no mailbox: the admin API (create, get, get by
 * email, duplicates, paging, update, delete) and, given `faults`, its provider-fault cases. For a
 * real user pool or project, whose sign-in emails no harness can read: the admin cases that sign
 * in are reported as not applicable. Every email starts with `namePrefix`.
 */
export function describeAuthAdmin(name: string, factory: () => Promise<AuthAdminFixture>, options: SuiteOptions = {}): void {
  describe(`${name} (AuthPort contract, admin)`, () => {
    const fixture = fixtureHooks(factory);
    const ctx: AuthSuiteContext = {
      port: () => started(fixture()).port,
      harness: () => {
        throw new Error('describeAuthAdmin has no harness: a case that needs one must check ctx.mailbox');
      },
      mailbox: false,
      namePrefix: options.namePrefix ?? '',
    };
    adminCases(ctx);
    adminFaultCases(ctx, fixture);
  });
}
