import { describe, expect, it } from 'vitest';
import { medianOfRuns } from '../../bench/src/lib/median-runs.js';
import type { Row } from '../../bench/src/lib/row.js';

const row = (id: string, ratio: string, met: Row['met'] = 'yes', port = `${ratio} port`): Row => ({
  id,
  what: `row ${id}`,
  port,
  anchor: 'a',
  ratio,
  target: '≥ 0.9',
  met,
});

describe('bench BENCH_RUNS: median of whole runs', () => {
  it("reports each row's median run whole, with every run's ratio", () => {
    const table = medianOfRuns([
      [row('1', '0.95'), row('2', '0.80', 'NO')],
      [row('1', '0.85', 'NO'), row('2', '0.99')],
      [row('1', '0.91'), row('2', '0.93')],
    ]);
    expect(table[0]).toMatchObject({ id: '1', port: '0.91 port', met: 'yes', ratio: '0.91 (runs: 0.95, 0.85, 0.91)' });
    expect(table[1]).toMatchObject({ id: '2', port: '0.93 port', met: 'yes', ratio: '0.93 (runs: 0.80, 0.99, 0.93)' });
  });

  it('keeps the first run of a row without a numeric ratio in every run', () => {
    const table = medianOfRuns([[row('i', '—', 'n/a')], [row('i', '0.5')]]);
    expect(table).toEqual([row('i', '—', 'n/a')]);
  });

  it('is the run itself when there is one run', () => {
    const only = [row('1', '0.9')];
    expect(medianOfRuns([only])).toBe(only);
  });
});
