import { SwitchyardError } from '../errors.js';
import { emit, type OnEvent } from '../events.js';
import { downloadKeySet, type PublicJwk } from './key-set-download.js';

export type { PublicJwk } from './key-set-download.js';

/**
 * The `keySet` option of the auth adapters that verify tokens against a downloaded key set: a key set
 * that cannot be fetched makes `verifyAccessToken` fail `UNAVAILABLE` (retryable), never
 * `UNAUTHENTICATED`; failed downloads back off; cached keys keep verifying for `staleIfErrorSeconds`
 * past `maxAgeSeconds` while refreshes fail, reported as `keyset` events.
 */
export interface KeySetSettings {
  /** Where to download the JWKS; default the issuer's published location. */
  url?: string;
  /** How long downloaded keys are trusted before a refresh; default 600 s. */
  maxAgeSeconds?: number;
  /** How long past the max age cached keys keep verifying while refreshes fail; default 3,600 s. */
  staleIfErrorSeconds?: number;
  /** Longest one download may take; default 5,000 ms. */
  fetchTimeoutMs?: number;
}

export interface KeySetCacheOptions {
  /** The JWKS URL; it appears in events and messages, so it must carry no secret. */
  url: string;
  /** The adapter's provider, for errors and events (`aws`, `supabase`). */
  provider: string;
  /** How long fetched keys are trusted before they are refreshed. Default 10 minutes. */
  maxAgeMs?: number | undefined;
  /**
   * How long past `maxAgeMs` the cached keys keep verifying while refreshes fail (stale-if-error,
   * RFC 5861). Default one hour; after it, verification reports `UNAVAILABLE`.
   */
  staleIfErrorMs?: number | undefined;
  /** Least time between two downloads caused by a `kid` the cache does not know. Default 60 s. */
  unknownKidIntervalMs?: number | undefined;
  /** Longest one download may take, body included. Default 5 s. */
  fetchTimeoutMs?: number | undefined;
  /** Wait after the first failed download, doubled after each further failure up to `maxMs`. Default 5 s and 30 s. */
  backoff?: { initialMs?: number | undefined; maxMs?: number | undefined } | undefined;
  /** Receives `keyset` events: `stale`, `unavailable`, `recovered`. */
  onEvent?: OnEvent | undefined;
  /** Clock in ms (tests). */
  now?: (() => number) | undefined;
  /** The fetch to download with (tests, proxies); default the global fetch. */
  fetch?: typeof fetch | undefined;
}

interface Entry {
  keys: readonly PublicJwk[];
  fetchedAt: number;
}

const OPERATION = 'verifyAccessToken';

/**
 * One cached JSON Web Key Set for one issuer, shared by the auth adapters that verify tokens locally.
 *
 * - A key set that cannot be fetched (refused, 5xx, not JSON, slower than `fetchTimeoutMs`) is a
 *   retryable `UNAVAILABLE`, never `UNAUTHENTICATED`: only a token that provably does not verify
 *   is refused, so an identity-provider blip does not sign everybody out.
 * - Concurrent callers share one download; after a failed one, further downloads wait (5 s, 10 s,
 *   20 s, then every 30 s), so a failing endpoint sees a handful of requests per minute however
 *   many tokens arrive.
 * - Past `maxAgeMs` the cached keys keep answering while a refresh runs in the background; if it
 *   fails they keep answering for `staleIfErrorMs` (reported once per failed download as `stale`).
 * - A `kid` the cache does not know (a rotation) triggers a refetch, at most once per
 *   `unknownKidIntervalMs`; a token whose key is still missing from a fresh set is `invalid`.
 */
export class KeySetCache {
  readonly url: string;
  private entry: Entry | undefined;
  private inflight: Promise<Entry> | undefined;
  private failures = 0;
  private retryAt = Number.NEGATIVE_INFINITY;
  private lastKidRefetch = Number.NEGATIVE_INFINITY;
  private failing = false;
  private lastError: SwitchyardError | undefined;
  private downloads = 0;
  private readonly maxAgeMs: number;
  private readonly staleIfErrorMs: number;
  private readonly unknownKidIntervalMs: number;
  private readonly fetchTimeoutMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly now: () => number;

  constructor(private readonly options: KeySetCacheOptions) {
    this.url = options.url;
    this.maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.staleIfErrorMs = options.staleIfErrorMs ?? 60 * 60_000;
    this.unknownKidIntervalMs = options.unknownKidIntervalMs ?? 60_000;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 5_000;
    this.backoffInitialMs = options.backoff?.initialMs ?? 5_000;
    this.backoffMaxMs = options.backoff?.maxMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Downloads started so far, answered or not (for metrics and tests). */
  get fetchCount(): number {
    return this.downloads;
  }

  /**
   * The public key a token's header names. Throws `UNAUTHENTICATED`/`invalid` when a fresh key set
   * does not hold `kid`, and a retryable `UNAVAILABLE` when no trustworthy key set can be had.
   */
  async key(kid: string | undefined, operation = OPERATION): Promise<PublicJwk> {
    if (typeof kid !== 'string' || kid.length === 0) throw this.invalid(operation, 'The token names no signing key (kid).');
    const entry = this.entry;
    if (entry) {
      const age = this.now() - entry.fetchedAt;
      if (age < this.maxAgeMs + this.staleIfErrorMs) {
        if (age >= this.maxAgeMs) this.refreshInBackground();
        return find(entry, kid) ?? this.afterMiss(kid, operation);
      }
    }
    const fresh = await this.refresh(operation);
    return find(fresh, kid) ?? Promise.reject(this.unknownKey(operation));
  }

  /** The cached key for `kid` without any download, for synchronous verifiers; undefined when absent or past the grace period. */
  cachedKey(kid: string | undefined): PublicJwk | undefined {
    const entry = this.entry;
    if (!entry || typeof kid !== 'string' || this.now() - entry.fetchedAt >= this.maxAgeMs + this.staleIfErrorMs) return undefined;
    return find(entry, kid);
  }

  /** Every cached key, downloading first when there is no usable set (start-up warm-up). */
  async keys(operation = OPERATION): Promise<readonly PublicJwk[]> {
    const entry = this.entry;
    if (entry && this.now() - entry.fetchedAt < this.maxAgeMs) return entry.keys;
    return (await this.refresh(operation)).keys;
  }

  /** Resolves once no download is under way (a background refresh included). */
  async settled(): Promise<void> {
    await this.inflight?.catch(() => undefined);
  }

  /** A `kid` the cached set lacks: a rotation, or a forged header. */
  private async afterMiss(kid: string, operation: string): Promise<PublicJwk> {
    if (this.inflight) return find(await this.inflight, kid) ?? Promise.reject(this.unknownKey(operation));
    if (this.now() - this.lastKidRefetch < this.unknownKidIntervalMs) {
      // The set was refetched for a miss moments ago: the key is not there, unless that refetch failed.
      if (this.failing) throw this.unavailableNow(operation);
      throw this.unknownKey(operation);
    }
    this.lastKidRefetch = this.now();
    return find(await this.refresh(operation), kid) ?? Promise.reject(this.unknownKey(operation));
  }

  private refreshInBackground(): void {
    if (this.inflight || this.now() < this.retryAt) return;
    // Failures are reported as events; callers are answered from the cached keys meanwhile.
    this.refresh(OPERATION).catch(() => undefined);
  }

  /** One shared download; refused while backing off after a failure. */
  private refresh(operation: string): Promise<Entry> {
    if (this.inflight) return this.inflight;
    if (this.now() < this.retryAt) return Promise.reject(this.unavailableNow(operation));
    this.downloads++;
    const started = downloadKeySet(this.url, this.fetchTimeoutMs, this.options.fetch ?? fetch).then(
      (keys) => this.succeeded(keys),
      (cause: unknown) => {
        throw this.failed(cause, operation);
      },
    );
    this.inflight = started;
    const clear = () => {
      if (this.inflight === started) this.inflight = undefined;
    };
    started.then(clear, clear);
    return started;
  }

  private succeeded(keys: readonly PublicJwk[]): Entry {
    const entry = { keys, fetchedAt: this.now() };
    this.entry = entry;
    this.failures = 0;
    this.retryAt = Number.NEGATIVE_INFINITY;
    if (this.failing) {
      this.failing = false;
      this.lastError = undefined;
      this.report('recovered');
    }
    return entry;
  }

  private failed(cause: unknown, operation: string): SwitchyardError {
    this.failures++;
    const waitMs = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** (this.failures - 1));
    this.retryAt = this.now() + waitMs;
    this.failing = true;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = this.unavailable(
      operation,
      `The signing key set at ${this.url} could not be fetched (${reason}); tokens cannot be verified until it can. Retry later; the next attempt is in ${Math.ceil(waitMs / 1000)} s.`,
      cause,
      waitMs,
    );
    this.lastError = error;
    const stale = this.entry !== undefined && this.now() - this.entry.fetchedAt < this.maxAgeMs + this.staleIfErrorMs;
    this.report(stale ? 'stale' : 'unavailable', error);
    return error;
  }

  /** While backing off: no download, the last failure as the cause. */
  private unavailableNow(operation: string): SwitchyardError {
    const waitMs = Math.max(0, this.retryAt - this.now());
    return this.unavailable(
      operation,
      `The signing key set at ${this.url} failed to download ${this.failures} time(s) in a row; tokens cannot be verified until it can. Retry in ${Math.ceil(waitMs / 1000)} s.`,
      this.lastError,
      waitMs,
    );
  }

  private unavailable(operation: string, message: string, cause: unknown, retryInMs: number): SwitchyardError {
    return new SwitchyardError({
      code: 'UNAVAILABLE',
      retryable: true,
      port: 'auth',
      provider: this.options.provider,
      operation,
      message,
      cause,
      details: { keySetUrl: this.url, retryInMs },
    });
  }

  private unknownKey(operation: string): SwitchyardError {
    return this.invalid(operation, 'The token is signed with a key the issuer does not publish.');
  }

  private invalid(operation: string, message: string): SwitchyardError {
    return new SwitchyardError({
      code: 'UNAUTHENTICATED',
      reason: 'invalid',
      port: 'auth',
      provider: this.options.provider,
      operation,
      message,
    });
  }

  private report(state: 'stale' | 'unavailable' | 'recovered', error?: SwitchyardError): void {
    emit(this.options.onEvent, {
      type: 'keyset',
      port: 'auth',
      provider: this.options.provider,
      url: this.url,
      state,
      ...(error ? { error } : {}),
    });
  }
}

function find(entry: Entry, kid: string): PublicJwk | undefined {
  return entry.keys.find((key) => key.kid === kid);
}
