import { type CountersSnapshot, formatCounters } from '@switchyard/otel/counters';
import type { MigrationStatus } from '../status.js';

/**
 * What this command's own port calls showed, with the journal backlog the status read: every
 * storage entry of the repair journal tables, the `remaining` a `repair()` run would report. The
 * command runs no dual-run composite, so its divergences stay 0; the app's own are at its `/metrics`.
 */
export function statusCounters(observed: CountersSnapshot, status: MigrationStatus): CountersSnapshot {
  const storage = status.ports.find((port) => port.port === 'storage');
  const journals = storage?.journal.filter((j) => j.installed) ?? [];
  if (journals.length === 0) return observed;
  const backlog = journals.reduce((sum, j) => sum + j.pending + j.waitingForUploads + j.oldSideBehind, 0);
  const ports = { ...observed.ports, storage: { operations: {}, ...observed.ports.storage, journalBacklog: backlog } };
  return { ...observed, ports };
}

/** The counters under `switchyard status`, in the lines the app's `/metrics` names match. */
export function renderCounters(counters: CountersSnapshot): string {
  const lines = formatCounters(counters);
  return ['counters (this command’s own port calls; same names as the app’s /metrics):', ...(lines.length ? lines : ['none'])]
    .map((line, index) => (index === 0 ? line : `  ${line}`))
    .join('\n');
}
