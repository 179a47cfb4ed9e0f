import type { PortName } from '@switchyard/core';
import type { Phase } from './model/migration.js';
import type { RunSummary } from './runs.js';
import type { AuthStatus, DbStatus, MigrationStatus, PortStatus, StorageStatus } from './status.js';

/** One thing that must be done before a port may enter its next phase, and the command that does it. */
export interface Blocker {
  port: PortName;
  /** The phase the port would enter. */
  next: Phase;
  problem: string;
  fix: string;
}

/** Something to know that does not block. */
export interface Note {
  port: PortName;
  next: Phase;
  note: string;
}

export interface CheckResult {
  blockers: Blocker[];
  notes: Note[];
  /** Ports already in phase 4: nothing comes next. */
  finished: PortName[];
}

function runBlockers(run: RunSummary, what: string, command: string, clean: (counts: Record<string, number>) => string | null): string[] {
  if (!run.ran) return [`${what} never ran: run ${command}`];
  if (!run.done)
    return [
      `${what} has not finished (${run.shards.seen} of ${run.shards.of} shard${run.shards.of === 1 ? '' : 's'} checkpointed, not all done): run ${command} again${run.shards.of > 1 ? ' in every shard' : ''}`,
    ];
  const dirty = clean(run.counts);
  return dirty ? [`${what} found ${dirty}: run ${command}`] : [];
}

const some = (counts: Record<string, number>, names: string[]) => {
  const found = names.filter((n) => (counts[n] ?? 0) > 0).map((n) => `${counts[n]} ${n}`);
  return found.length > 0 ? found.join(', ') : null;
};

function storage(s: StorageStatus, next: Phase, out: CheckResult): void {
  const block = (problem: string, fix: string) => out.blockers.push({ port: 'storage', next, problem, fix });
  if (s.error) block(`cannot be read: ${s.error}`, 'fix the settings or the outage, then check again');
  if (next === 2 && !s.targetConditionalPut) {
    out.notes.push({
      port: 'storage',
      next,
      note: 'the target has no conditional writes: copies look again just before each write, which narrows but cannot close the race with an app write',
    });
  }
  if (next >= 3) {
    for (const problem of runBlockers(s.copy, 'copy objects', 'switchyard copy objects', (c) => some(c, ['failed'])))
      block(problem, 'switchyard copy objects');
    for (const problem of runBlockers(s.verify, 'verify objects', 'switchyard verify objects', (c) =>
      some(c, ['missing', 'differs', 'failed']),
    ))
      block(problem, 'switchyard copy objects, then switchyard verify objects');
    for (const j of s.journal) {
      const failing = j.failing > 0 ? ` (${j.failing} failed to repair: the app's divergence events say why)` : '';
      if (j.pending > 0) {
        block(
          `${j.pending} writes journaled in the ${j.database} database may be missing at the target${failing}`,
          'let the running app call repair() (or run it once), then check again',
        );
      }
      if (j.waitingForUploads > 0 && next === 4) {
        block(
          `${j.waitingForUploads} signed upload URLs issued by the old provider are neither used nor expired (${j.database} database)`,
          'wait until they expire (their lifetime), with the app running repair(), then check again',
        );
      }
      if (j.waitingForUploads > 0 && next === 3) {
        out.notes.push({
          port: 'storage',
          next,
          note: `${j.waitingForUploads} signed upload URLs issued by the old provider are unused (${j.database} database): phase 3 instances repair them from either database`,
        });
      }
      if (j.oldSideBehind > 0) {
        out.notes.push({
          port: 'storage',
          next,
          note: `${j.oldSideBehind} writes the old side missed (${j.database} database): repair() copies them; they matter for a rollback only`,
        });
      }
    }
  }
}

function auth(s: AuthStatus, next: Phase, out: CheckResult): void {
  const block = (problem: string, fix: string) => out.blockers.push({ port: 'auth', next, problem, fix });
  if (s.error) block(`cannot be read: ${s.error}`, 'fix the settings or the outage, then check again');
  if (!s.targetKeepsIds)
    block(
      'the target cannot create users with a chosen id, so users would lose the id their rows use',
      'configure the target adapter to keep application ids (Cognito: the custom:app_user_id attribute)',
    );
  if (next >= 3) {
    for (const problem of runBlockers(s.copy, 'copy users', 'switchyard copy users', (c) => some(c, ['failed', 'conflicts'])))
      block(problem, 'switchyard copy users (conflicts: resolve the email by hand)');
    for (const problem of runBlockers(s.verify, 'verify users', 'switchyard verify users', (c) => some(c, ['missing', 'split', 'failed'])))
      block(problem, 'switchyard copy users, then switchyard verify users');
  }
  if (next === 4)
    out.notes.push({
      port: 'auth',
      next,
      note: 'sessions issued by the old provider stop verifying in phase 4: wait at least their lifetime (access and refresh tokens) after phase 3 began, or accept that those users sign in again',
    });
}

function db(s: DbStatus, next: Phase, out: CheckResult): void {
  const block = (problem: string, fix: string) => out.blockers.push({ port: 'db', next, problem, fix });
  if (s.error) {
    block(`cannot be read: ${s.error}`, 'fix the settings or the outage, then check again');
    return;
  }
  if (next <= 3) {
    for (const e of s.extensionsMissing)
      block(
        `extension ${e.name} is installed at the source, not at the target${e.available ? '' : ' (and the target server cannot install it)'}`,
        e.available ? `create extension ${e.name} at the target (with the schema migrations)` : `choose a target that offers ${e.name}`,
      );
    if (s.tablesMissingAtTarget.length > 0)
      block(
        `tables missing at the target: ${s.tablesMissingAtTarget.join(', ')}`,
        'run the schema migrations at the target (replication copies rows, not schema)',
      );
    if (s.publication.journalPublishedBy.length > 0)
      block(
        `the repair journal (switchyard.repair_journal) is published by ${s.publication.journalPublishedBy.join(', ')}: replicated, it stops the subscription`,
        'publish the app schemas only (switchyard db replicate does), never FOR ALL TABLES',
      );
  }
  if (next === 2) {
    if (!s.publication.exists) block('no publication at the source', 'switchyard db replicate');
    else if (s.publication.missing.length > 0)
      block(
        `the publication leaves out ${s.publication.missing.join(', ')}`,
        'alter publication switchyard_migrate add tables in schema …, or switchyard db replicate with SWITCHYARD_MIGRATE_SCHEMAS',
      );
    if (!s.subscription.exists) block('the target does not subscribe to the source', 'switchyard db replicate');
  }
  if (next === 3) {
    if (!s.subscription.exists && !s.reverseSubscription.exists)
      block('no replication between the databases', 'switchyard db replicate (phase 2 should have it)');
    if (!s.frozen.from) block('the source still takes writes', 'switchyard db switch (freeze, catch up, sync sequences, reverse)');
    if (s.subscription.exists && (s.subscription.syncing.length > 0 || (s.lagBytes ?? 0) > 0))
      block(`the target is behind (${s.lagBytes ?? '?'} bytes, ${s.subscription.syncing.length} tables copying)`, 'switchyard db catch-up');
    if (s.sequencesBehind.length > 0)
      block(
        `${s.sequencesBehind.length} target sequences are behind the source (${s.sequencesBehind.map((c) => c.sequence).join(', ')})`,
        'switchyard sequences sync',
      );
    if (!s.reverseSubscription.exists)
      block('the source does not subscribe to the target yet (rollback would lose phase 3 writes)', 'switchyard db reverse');
    if (!s.verify?.done) block('verify tables has not run to the end since the last change', 'switchyard verify tables');
    else if (s.verify.differing > 0)
      block(
        `verify tables found ${s.verify.differing} differing tables`,
        'see verify-tables.json; switchyard db catch-up, then verify tables again',
      );
  }
  if (next === 4 && s.reverseSubscription.exists && (s.reverseLagBytes ?? 0) > 0)
    out.notes.push({
      port: 'db',
      next,
      note: `the old database is ${s.reverseLagBytes} bytes behind: keep it until it catches up if you may still roll back`,
    });
}

/** Everything that blocks each moving port's next phase, all at once. */
export function checkNext(status: MigrationStatus): CheckResult {
  const out: CheckResult = { blockers: [], notes: [], finished: [] };
  for (const port of status.ports as PortStatus[]) {
    if (port.phase === 4) {
      out.finished.push(port.port);
      continue;
    }
    const next = (port.phase + 1) as Phase;
    if (port.port === 'storage') storage(port, next, out);
    else if (port.port === 'auth') auth(port, next, out);
    else if (port.port === 'db') db(port, next, out);
    else if (next === 3)
      out.notes.push({
        port: 'pubsub',
        next,
        note: 'subscribers that move between deployments may get a message twice during the rolling redeploy: drop duplicates by message id',
      });
  }
  return out;
}
