import type { AuthPort, DbPort, KeySetEvent, PubSubPort, StoragePort } from '@switchyard/core/adapter';
import type { FaultHarness } from './faults.js';

/** What every suite takes besides its factory. */
export interface SuiteOptions {
  /**
   * Put in front of every name the suite writes: object keys, user emails, table names, channels.
   * A live account's test prefix goes here, so that everything the suite writes can be told apart
   * from the account's own data and swept afterwards.
   */
  namePrefix?: string;
}

/** What each suite's factory returns: the port under test and how to clean up after it. */
export interface Fixture<Port, Harness = undefined> {
  port: Port;
  /** Releases everything the factory created (servers, databases, directories). */
  teardown?: () => Promise<void>;
  harness: Harness;
  /**
   * Network faults between the port and its provider: give it when the port talks to a server,
   * and every call of the suite goes through it. Without it the fault cases are not applicable.
   */
  faults?: FaultHarness;
}

export type StorageFixture = Fixture<StoragePort, undefined | Record<string, never>>;

/** The sign-in email as the harness read it from the adapter's mailbox. */
export interface SignInEmail {
  /** The one-time code, where the adapter sends codes. */
  code?: string;
  /** The token carried by the magic link, as `verifySignIn({ tokenHash })` takes it. */
  tokenHash?: string;
  /** The whole magic link. */
  link?: string;
}

export interface AuthHarness {
  /** The most recent sign-in email sent to `email`, or undefined when none was sent. */
  lastSignInEmail(email: string): Promise<SignInEmail | undefined>;
  /** Makes every outstanding sign-in code and link for `email` expire. */
  expireSignIn(email: string): Promise<void>;
  /**
   * An access token for `userId` signed with the adapter's real signing key, with claims
   * overridden (for example `{ exp: <past> }`, `{ aud: 'other' }`, `{ iss: 'https://evil' }`).
   */
  signAccessToken(userId: string, overrides: Record<string, unknown>): Promise<string>;
  /**
   * Faults of the key set (JWKS) the adapter downloads to verify tokens. Adapters that verify with
   * keys they hold (`@switchyard/local`) give none, and the key-set cases are not applicable.
   */
  keySet?: KeySetHarness;
}

/** How the key-set server answers: normally, refusing connections, with HTTP 500, or never. */
export type KeySetFault = 'pass' | 'refuse' | 'error' | 'hang';

export interface KeySetHarness {
  /** Switches the key-set server the adapters of `open()` download from; `pass` lifts the fault. */
  set(mode: KeySetFault): Promise<void>;
  /** Key-set downloads the server has received so far (refused connections do not arrive). */
  fetches(): number;
  /** A new adapter on the same provider with an empty key-set cache and a clock the test moves. */
  open(): Promise<KeySetAdapter>;
  /** Publishes a new signing key under a new `kid`; `signAccessToken` signs with it from then on. */
  rotate(): Promise<void>;
  /** The adapters' settings: keys are refreshed after `maxAgeMs` and trusted `staleIfErrorMs` longer while refreshes fail. */
  maxAgeMs: number;
  staleIfErrorMs: number;
  /** Longest one key-set download may take; a call under a fault must settle within twice this plus a second. */
  timeoutMs: number;
  /** How far the clock must move after failed downloads before the adapter tries again (its longest back-off). */
  recoveryMs: number;
}

export interface KeySetAdapter {
  port: AuthPort;
  /** The `keyset` events the adapter reported, in order. */
  events: KeySetEvent[];
  /** Moves the adapter's clock (key-set max age, back-off) forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export type AuthFixture = Fixture<AuthPort, AuthHarness>;

/** What `describeAuthAdmin` takes: a port and no harness, for an account whose mailbox no test can read. */
export type AuthAdminFixture = Fixture<AuthPort, undefined>;

export interface DbFactoryOptions {
  /** Most connections the pool may open; the claim-leak test asks for 1. */
  maxConnections?: number;
}

/**
 * The database must already have the Supabase compatibility SQL applied (`SUPABASE_COMPAT_SQL`),
 * and the port must connect as a role that may create tables and `SET ROLE authenticated`.
 */
export type DbFixture = Fixture<DbPort, undefined | Record<string, never>>;

export interface PubSubHarness {
  /** Another client of the same broker (a separate connection where the provider has connections). */
  connect(): Promise<PubSubPort>;
  /** Connections (or in-process listeners) the given port still holds open. */
  openConnections(port: PubSubPort): Promise<number>;
}

export type PubSubFixture = Fixture<PubSubPort, PubSubHarness>;
