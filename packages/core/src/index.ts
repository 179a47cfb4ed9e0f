export { type ExtraKey, extraKey } from './adapter/extras.js';
export { boundedFetch } from './auth/bounded-fetch.js';
export * from './auth/email.js';
export { KeySetCache, type KeySetCacheOptions, type KeySetSettings, type PublicJwk } from './auth/key-set-cache.js';
export type * from './auth/port.js';
export * from './db/claims.js';
export type * from './db/port.js';
export * from './db/rows.js';
export { type CompiledQuery, compile, type SqlFragment, type SqlIdentifier, sql } from './db/sql.js';
export * from './db/sqlstate.js';
export * from './db/supabase-compat.js';
export {
  type BackfillFailure,
  type BackfillStorageOptions,
  type BackfillStorageProgress,
  type BackfillStorageResult,
  backfillStorage,
} from './dual/backfill-storage.js';
export {
  type BackfillUserFailure,
  type BackfillUsersOptions,
  type BackfillUsersProgress,
  type BackfillUsersResult,
  backfillUsers,
  copyUser,
} from './dual/backfill-users.js';
export { DbJournal } from './dual/db-journal.js';
export { DedupWindow } from './dual/dedup-window.js';
export { DualAuth, type DualAuthOptions } from './dual/dual-auth.js';
export { DualAuthAdmin } from './dual/dual-auth-admin.js';
export { DualDb, type DualDbOptions } from './dual/dual-db.js';
export { DualPubSub, type DualPubSubOptions } from './dual/dual-pubsub.js';
export { DualStorage, type DualStorageOptions } from './dual/dual-storage.js';
export { InMemoryJournal, type RepairEntry, type RepairJournal, type RepairRecord } from './dual/journal.js';
export { isReadOnlyQuery } from './dual/read-only-query.js';
export type { RepairResult } from './dual/repair-storage.js';
export { DEFAULT_SHADOW_TIMEOUT_MS } from './dual/shadow.js';
export { type CopyOptions, type CopyOutcome, comparableEtag, copyObject, headDifference, provablySame } from './dual/storage-transfer.js';
export * from './errors.js';
export * from './events.js';
export type { ConfigProblem, ReadMode } from './providers/config.js';
export { type CreateProvidersOptions, createProviders, type Providers } from './providers/create-providers.js';
export { DEFAULT_DB_COMPARE_SAMPLE_RATE, READS_BY_PORT, SWITCHYARD_FLAGS } from './providers/flags.js';
export { configError, type PlannedAdapter, type PlanOptions, type PortPlan, type ProvidersPlan, planProviders } from './providers/plan.js';
export type { AdapterModule } from './providers/resolve-adapter.js';
export type { Env } from './providers/variables.js';
export type * from './pubsub/port.js';
export * from './pubsub/validate.js';
export { printsAs, REDACTED, redactUrl } from './redact.js';
export * from './storage/body.js';
export * from './storage/keys.js';
export * from './storage/options.js';
export type * from './storage/port.js';
