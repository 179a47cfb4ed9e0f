import type { CheckResult } from '../check.js';
import type { RunSummary } from '../runs.js';
import type { MigrationStatus } from '../status.js';

const counts = (run: RunSummary) =>
  run.ran
    ? `${run.done ? 'done' : 'unfinished'}${run.shards.of > 1 ? ` (${run.shards.seen}/${run.shards.of} shards)` : ''}: ${Object.entries(
        run.counts,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`
    : 'never ran';

/** `switchyard status` for a person. */
export function renderStatus(status: MigrationStatus): string {
  const lines = [`migration ${status.from} → ${status.to}`];
  for (const port of status.ports) {
    lines.push(`${port.port}: phase ${port.phase}`);
    if ('error' in port && port.error) lines.push(`  cannot be read: ${port.error}`);
    if (port.port === 'storage') {
      for (const j of port.journal)
        lines.push(
          `  repair journal (${j.database} db): ${j.installed ? `${j.pending} the target may lack (${j.waitingForUploads} waiting for signed uploads, ${j.failing} failing), ${j.oldSideBehind} the old side lacks` : 'not installed'}`,
        );
      lines.push(`  copy objects: ${counts(port.copy)}`, `  verify objects: ${counts(port.verify)}`);
    } else if (port.port === 'auth') {
      lines.push(`  copy users: ${counts(port.copy)}`, `  verify users: ${counts(port.verify)}`);
    } else if (port.port === 'db') {
      const p = port.publication;
      lines.push(
        `  publication at source: ${p.exists ? (p.missing.length ? `leaves out ${p.missing.join(', ')}` : 'covers every table') : 'none'}`,
      );
      if (p.journalPublishedBy.length)
        lines.push(`  repair journal PUBLISHED by ${p.journalPublishedBy.join(', ')}: replication will stall`);
      const s = port.subscription;
      lines.push(
        `  subscription at target: ${s.exists ? `${s.enabled ? 'enabled' : 'disabled'}, ${s.running ? 'running' : 'not running'}, ${s.syncing.length} tables copying, lag ${port.lagBytes ?? '?'} bytes` : 'none'}`,
      );
      const r = port.reverseSubscription;
      lines.push(
        `  reverse subscription at source: ${r.exists ? `${r.running ? 'running' : 'not running'}, lag ${port.reverseLagBytes ?? '?'} bytes` : 'none'}`,
      );
      lines.push(`  frozen: source ${port.frozen.from ? 'yes' : 'no'}, target ${port.frozen.to ? 'yes' : 'no'}`);
      lines.push(
        `  sequences behind at target: ${port.sequencesBehind.length ? port.sequencesBehind.map((c) => `${c.sequence} (${c.before ?? 'unset'} < ${c.source})`).join(', ') : 'none'}`,
      );
      lines.push(
        `  extensions missing at target: ${port.extensionsMissing.length ? port.extensionsMissing.map((e) => `${e.name}${e.available ? '' : ' (not available there)'}`).join(', ') : 'none'}`,
      );
      if (port.tablesMissingAtTarget.length) lines.push(`  tables missing at target: ${port.tablesMissingAtTarget.join(', ')}`);
      lines.push(
        `  verify tables: ${port.verify ? `${port.verify.done ? 'done' : 'unfinished'} at ${port.verify.at}, ${port.verify.differing} differing` : 'never ran'}`,
      );
    }
  }
  return lines.join('\n');
}

/** `switchyard check --next` for a person. */
export function renderCheck(result: CheckResult): string {
  const lines: string[] = [];
  for (const b of result.blockers) lines.push(`✗ ${b.port} → phase ${b.next}: ${b.problem}\n    fix: ${b.fix}`);
  for (const n of result.notes) lines.push(`• ${n.port} → phase ${n.next}: ${n.note}`);
  for (const port of result.finished) lines.push(`✓ ${port}: in phase 4, nothing comes next`);
  lines.push(
    result.blockers.length === 0
      ? 'Nothing blocks the next phase: redeploy with switchyard env --phase N.'
      : `${result.blockers.length} thing${result.blockers.length === 1 ? '' : 's'} block the next phase.`,
  );
  return lines.join('\n');
}
