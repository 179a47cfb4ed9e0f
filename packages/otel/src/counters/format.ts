import type { CountersSnapshot } from './index.js';

/**
 * The snapshot as lines for a person (a CLI, a log line), with the snapshot's own field names so
 * what `switchyard status` prints and what the app serves at `/metrics` read the same:
 * `storage put: calls 3, errors 0, divergences 1, shadowFailures 1 (supabase 3/0, aws 2/1)`, where
 * `provider a/b` is that provider's calls/errors.
 */
export function formatCounters(snapshot: CountersSnapshot): string[] {
  const lines: string[] = [];
  for (const [port, counters] of Object.entries(snapshot.ports)) {
    for (const [operation, found] of Object.entries(counters.operations)) {
      const providers = Object.entries(found.providers).map(([name, p]) => `${name} ${p.calls}/${p.errors}`);
      lines.push(
        `${port} ${operation}: calls ${found.calls}, errors ${found.errors}, divergences ${found.divergences}, shadowFailures ${found.shadowFailures}${providers.length ? ` (${providers.join(', ')})` : ''}`,
      );
    }
    if (counters.circuit)
      lines.push(`${port} circuit: ${counters.circuit.state} (${counters.circuit.primary} → ${counters.circuit.shadow})`);
    if (counters.journalBacklog !== undefined) lines.push(`${port} journalBacklog: ${counters.journalBacklog}`);
  }
  for (const [provider, state] of Object.entries(snapshot.keysets)) lines.push(`auth keyset ${provider}: ${state}`);
  return lines;
}
