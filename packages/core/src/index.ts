/**
 * `@switchyard/core`: what applications use — the four ports, the error taxonomy, the `sql` tag,
 * `createProviders`, and the dual-run composites with their backfill and repair helpers. Adapter
 * authors import `@switchyard/core/adapter`, which adds the front layer, validation and mappers.
 */

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
export type { RepairResult } from './dual/repair-storage.js';
export { DEFAULT_SHADOW_TIMEOUT_MS } from './dual/shadow.js';
export { type CopyOptions, type CopyOutcome, comparableEtag, copyObject, headDifference, provablySame } from './dual/storage-transfer.js';
export * from './port-api.js';
export { type CreateProvidersOptions, createProviders, type Providers } from './providers/create-providers.js';
export { DEFAULT_DB_COMPARE_SAMPLE_RATE, READS_BY_PORT, SWITCHYARD_FLAGS } from './providers/flags.js';
export { type PlannedAdapter, type PlanOptions, type PortPlan, type ProvidersPlan, planProviders } from './providers/plan.js';
export type { AdapterModule } from './providers/resolve-adapter.js';
