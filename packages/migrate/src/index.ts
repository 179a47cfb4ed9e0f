export { type Blocker, type CheckResult, checkNext, type Note } from './check.js';
export { type CommandIo, EXIT, runCommand } from './cli/main.js';
export { type CopyObjectsCounts, type CopyObjectsOptions, copyObjects } from './copy/objects.js';
export { type CopyUsersCounts, type CopyUsersOptions, copyUsers } from './copy/users.js';
export { conninfo } from './db/conninfo.js';
export {
  type PublicationCoverage,
  publicationCoverage,
  REPLICATION,
  type SubscriptionState,
  slotLag,
  subscriptionState,
} from './db/replication.js';
export { compareSequences, type SequenceChange, type SequencesResult, syncSequences } from './db/sequences.js';
export { type DbSides, replicate, reverse, type SwitchResult, switchDatabases } from './db/steps.js';
export { type CatchUp, catchUp, freeze, isFrozen, unfreeze } from './db/switch.js';
export {
  ALL_PORTS,
  appEnv,
  bothSidesEnv,
  type Env,
  MIGRATE_VARIABLES,
  type Migration,
  type Phase,
  readMigration,
} from './model/migration.js';
export { type EnvFormat, formatVariables, phaseVariables } from './model/phase-env.js';
export { type OpenedSides, openSides, type Sides } from './model/sides.js';
export { Progress, type ProgressSink } from './progress.js';
export type { Counts, RunOptions, RunResult } from './resumable.js';
export { type RunSummary, readRun } from './runs.js';
export { inShard, parseShard, type Shard } from './shard.js';
export { type MigrationStatus, type PortStatus, readStatus } from './status.js';
export { type VerifyObjectsCounts, type VerifyObjectsOptions, verifyObjects } from './verify/objects.js';
export { type TableVerdict, type VerifyTablesOptions, type VerifyTablesResult, verifyTables } from './verify/tables.js';
export { type VerifyUsersCounts, type VerifyUsersOptions, verifyUsers } from './verify/users.js';
