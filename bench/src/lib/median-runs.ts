import type { Row } from './row.js';

/**
 * One table from several whole runs: each row is the run whose ratio is the median of that row's
 * ratios (so its port, anchor and `met` are one run's, not a mix), with every run's ratio beside it.
 * Rows without a numeric ratio (informational, not measured) come from the first run.
 */
export function medianOfRuns(runs: Row[][]): Row[] {
  const [first = [], ...others] = runs;
  if (others.length === 0) return first;
  return first.map((row, index) => {
    const matches = (other: Row | undefined) => other?.id === row.id && other.what === row.what;
    // Runs list their rows in the same order; a row missing from one run is looked up by name.
    const same = runs.map((run) => (matches(run[index]) ? run[index] : run.find(matches)));
    const measured = same.filter((r): r is Row => r !== undefined && Number.isFinite(Number.parseFloat(r.ratio)));
    if (measured.length < runs.length) return row;
    const sorted = [...measured].sort((a, b) => Number.parseFloat(a.ratio) - Number.parseFloat(b.ratio));
    const median = sorted[Math.floor((sorted.length - 1) / 2)] as Row;
    return { ...median, ratio: `${median.ratio} (runs: ${measured.map((r) => r.ratio).join(', ')})` };
  });
}
