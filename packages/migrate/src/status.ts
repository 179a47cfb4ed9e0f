import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DbPort, type PortName, SwitchyardError, sql } from '@switchyard/core';
import { availableExtensions, installedExtensions, listTables, tableName } from './db/catalog.js';
import { JOURNAL_TABLE, type PublicationCoverage, replicationState, type SubscriptionState } from './db/replication.js';
import { compareSequences, type SequenceChange } from './db/sequences.js';
import { isFrozen } from './db/switch.js';
import type { Migration, Phase } from './model/migration.js';
import { type OpenedSides, openSides } from './model/sides.js';
import { type RunSummary, readRun } from './runs.js';

/** Repair-journal entries waiting in one database. */
export interface JournalBacklog {
  database: 'from' | 'to';
  installed: boolean;
  /** Writes made while the old provider was primary that the new one may lack: `repair()` settles them now. */
  pending: number;
  /** Besides those, signed upload URLs the old provider issued, not yet used nor expired: they settle once used or expired. */
  waitingForUploads: number;
  /** Entries whose repair failed at least once (counted in `pending`): the app's divergence events say why. */
  failing: number;
  /** Writes made while the new provider was primary that the old one may lack: they matter only for a rollback. */
  oldSideBehind: number;
}

export interface StorageStatus {
  port: 'storage';
  phase: Phase;
  journal: JournalBacklog[];
  copy: RunSummary;
  verify: RunSummary;
  /** The target refuses a write whose condition fails, so copies can never replace a newer object. */
  targetConditionalPut: boolean;
  error?: string | undefined;
}

export interface AuthStatus {
  port: 'auth';
  phase: Phase;
  copy: RunSummary;
  verify: RunSummary;
  targetKeepsIds: boolean;
  error?: string | undefined;
}

export interface DbStatus {
  port: 'db';
  phase: Phase;
  tablesMissingAtTarget: string[];
  /** The publication at the source (forward) and at the target (reverse, after the switch). */
  publication: PublicationCoverage;
  reversePublication: PublicationCoverage;
  subscription: SubscriptionState;
  reverseSubscription: SubscriptionState;
  /** WAL bytes the subscriber has not confirmed, or null without a slot. */
  lagBytes: number | null;
  reverseLagBytes: number | null;
  /** Target sequences below the source's: inserts at the new primary would collide. */
  sequencesBehind: SequenceChange[];
  /** Extensions installed at the source and not at the target; `available` says whether the target can install them. */
  extensionsMissing: { name: string; available: boolean }[];
  frozen: { from: boolean; to: boolean };
  verify?: { at: string; done: boolean; differing: number } | undefined;
  error?: string | undefined;
}

export interface PubSubStatus {
  port: 'pubsub';
  phase: Phase;
}

export type PortStatus = StorageStatus | AuthStatus | DbStatus | PubSubStatus;

export interface MigrationStatus {
  from: string;
  to: string;
  ports: PortStatus[];
}

const message = (error: unknown) => (SwitchyardError.isInstance(error) ? `${error.code}: ${error.message}` : String(error));

async function journalAt(db: DbPort, database: 'from' | 'to', from: string): Promise<JournalBacklog> {
  const exists = await db.maybeOne<{ t: string | null }>(sql`select to_regclass(${`${JOURNAL_TABLE.schema}.${JOURNAL_TABLE.name}`}) as t`);
  if (!exists?.t) return { database, installed: false, pending: 0, waitingForUploads: 0, failing: 0, oldSideBehind: 0 };
  // An upload URL's entry whose repair already failed is not waiting for the upload: it is pending.
  const row = await db.one<{ pending: string; waiting: string; failing: string; behind: string }>(sql`
    select count(*) filter (where primary_side = ${from} and (keep_until is null or keep_until <= now() or attempts > 0))::text as pending,
           count(*) filter (where primary_side = ${from} and keep_until > now() and attempts = 0)::text as waiting,
           count(*) filter (where primary_side = ${from} and attempts > 0)::text as failing,
           count(*) filter (where primary_side <> ${from})::text as behind
    from ${sql.ident(JOURNAL_TABLE.schema, JOURNAL_TABLE.name)} where port = 'storage'`);
  return {
    database,
    installed: true,
    pending: Number(row.pending),
    waitingForUploads: Number(row.waiting),
    failing: Number(row.failing),
    oldSideBehind: Number(row.behind),
  };
}

async function verifyTablesReport(stateDir: string): Promise<DbStatus['verify']> {
  try {
    const report = JSON.parse(await readFile(join(stateDir, 'verify-tables.json'), 'utf8')) as {
      at: string;
      done: boolean;
      differing: number;
    };
    return { at: report.at, done: report.done, differing: report.differing };
  } catch {
    return undefined;
  }
}

async function dbStatus(migration: Migration, from: DbPort, to: DbPort, phase: Phase): Promise<DbStatus> {
  const { schemas } = migration;
  const [sourceTables, targetTables, replication, sequences, sourceExt, targetExt, available, frozenFrom, frozenTo] = await Promise.all([
    listTables(from, schemas),
    listTables(to, schemas),
    replicationState(from, to, schemas),
    compareSequences(from, to, schemas),
    installedExtensions(from),
    installedExtensions(to),
    availableExtensions(to),
    isFrozen(from),
    isFrozen(to),
  ]);
  const present = new Set(targetTables.map(tableName));
  return {
    port: 'db',
    phase,
    tablesMissingAtTarget: sourceTables.map(tableName).filter((t) => !present.has(t)),
    ...replication,
    sequencesBehind: [...sequences.changed, ...sequences.missing],
    extensionsMissing: [...sourceExt.keys()]
      .filter((name) => !targetExt.has(name))
      .map((name) => ({ name, available: available.has(name) })),
    frozen: { from: frozenFrom, to: frozenTo },
    verify: await verifyTablesReport(migration.stateDir),
  };
}

async function settle<T extends { error?: string | undefined }>(fallback: T, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    return { ...fallback, error: message(error) };
  }
}

/** Where each moving port stands; what cannot be read is reported in `error`, never thrown. */
export async function readStatus(migration: Migration, opened?: OpenedSides): Promise<MigrationStatus> {
  const sides = opened ?? (await openSides(migration, ['storage', 'auth', 'db']));
  try {
    const ports: PortStatus[] = [];
    const phaseOf = (port: PortName) => migration.phases[port] as Phase;
    for (const port of migration.ports) {
      const phase = phaseOf(port);
      if (port === 'storage' && sides.storage) {
        const { storage, db } = sides;
        const base: StorageStatus = {
          port,
          phase,
          journal: [],
          copy: await readRun(migration.stateDir, 'copy-objects'),
          verify: await readRun(migration.stateDir, 'verify-objects'),
          targetConditionalPut: storage.to.capabilities.conditionalPut,
        };
        ports.push(
          await settle(base, async () => ({
            ...base,
            journal: db ? await Promise.all([journalAt(db.from, 'from', migration.from), journalAt(db.to, 'to', migration.from)]) : [],
          })),
        );
      } else if (port === 'auth' && sides.auth) {
        ports.push({
          port,
          phase,
          copy: await readRun(migration.stateDir, 'copy-users'),
          verify: await readRun(migration.stateDir, 'verify-users'),
          targetKeepsIds: sides.auth.to.capabilities.customUserId,
        });
      } else if (port === 'db' && sides.db) {
        const { from, to } = sides.db;
        const empty = { exists: false, missing: [], journalPublishedBy: [] };
        const noSub = { exists: false, enabled: false, syncing: [], running: false };
        const fallback: DbStatus = {
          port,
          phase,
          tablesMissingAtTarget: [],
          publication: empty,
          reversePublication: empty,
          subscription: noSub,
          reverseSubscription: noSub,
          lagBytes: null,
          reverseLagBytes: null,
          sequencesBehind: [],
          extensionsMissing: [],
          frozen: { from: false, to: false },
        };
        ports.push(await settle(fallback, () => dbStatus(migration, from, to, phase)));
      } else if (port === 'pubsub') ports.push({ port, phase });
    }
    return { from: migration.from, to: migration.to, ports };
  } finally {
    if (!opened) await sides.close();
  }
}
