/**
 * `npm run bench`: every row of issue 7 (and the figures of issues 3 and 4), each measured in
 * this one process against its raw-client anchor; prints one table and writes bench/RESULTS.md.
 * `BENCH_QUICK=1` runs a ~1-minute smoke version with smaller counts; `BENCH_RUNS=3` runs every
 * row three times and reports each row's median run (the issues' targets are medians of three).
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { QUICK } from './lib/measure.js';
import { medianOfRuns } from './lib/median-runs.js';
import { type Row, type RowModule, safely } from './lib/row.js';
import { renderTable } from './lib/table.js';
import { benchColdStart } from './rows/coldstart.js';
import { benchDb } from './rows/db.js';
import { benchDual } from './rows/dual.js';
import { benchEmbeddedOpen } from './rows/embedded-open.js';
import { benchCopy, benchVerifyTables } from './rows/migrate.js';
import { benchOtel } from './rows/otel.js';
import { benchPresign } from './rows/presign.js';
import { benchPubSub } from './rows/pubsub.js';
import { benchShadowOutage } from './rows/shadow-outage.js';
import { benchStorage } from './rows/storage.js';
import { benchSupabaseGetUser } from './rows/supabase-getuser.js';
import { benchSupabaseList } from './rows/supabase-list.js';
import { benchVerify } from './rows/verify.js';

const MODULES: [id: string, what: string, module: RowModule][] = [
  ['1', 'Storage put+get', benchStorage],
  ['2', 'Presigned URLs', benchPresign],
  ['3', 'verifyAccessToken', benchVerify],
  ['i4', 'Supabase verify vs getUser', benchSupabaseGetUser],
  ['4', 'DbPort', benchDb],
  ['5', 'PubSub', benchPubSub],
  ['6', 'Cold start', benchColdStart],
  ['6e', 'Embedded defaults open', benchEmbeddedOpen],
  ['o1', 'OpenTelemetry hook', benchOtel],
  ['7', 'Dual-run storage put', benchDual],
  ['8', 'Supabase Storage listing', benchSupabaseList],
  ['10', 'Shadow outage', benchShadowOutage],
  ['m1', 'switchyard copy objects', benchCopy],
  ['m2', 'switchyard verify tables', benchVerifyTables],
];

const loadAtStart = os.loadavg();
const loadText = (loads: number[]) => loads.map((load) => load.toFixed(2)).join(' / ');

function machine(): string {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((cpu) => cpu.model.trim()))].join(', ');
  return [
    `- CPU: ${cpus.length} × ${models}`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free at the end`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node: ${process.version}`,
    `- Date: ${new Date().toISOString()}`,
    `- Load average (1/5/15 min): ${loadText(loadAtStart)} at the start, ${loadText(os.loadavg())} at the end; other sessions' test suites shared these ${cpus.length} cores`,
  ].join('\n');
}

const started = performance.now();
const only = process.env.BENCH_ONLY?.split(',');
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a whole number ≥ 1; got ${process.env.BENCH_RUNS}`);
const runs: Row[][] = [];
for (let run = 1; run <= RUNS; run++) {
  const rows: Row[] = [];
  for (const [id, what, module] of MODULES) {
    if (only && !only.includes(id)) continue;
    const moduleStart = performance.now();
    rows.push(...(await safely(id, what, module)));
    process.stderr.write(
      `bench: ${RUNS > 1 ? `run ${run}/${RUNS}: ` : ''}${what} done in ${((performance.now() - moduleStart) / 1000).toFixed(1)} s\n`,
    );
  }
  runs.push(rows);
}
const table = renderTable(medianOfRuns(runs));
const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(table);
console.log(`\n${QUICK ? 'Quick smoke run' : 'Full run'} in ${seconds} s.`);

if (!only) {
  const results = `# Switchyard benchmark results

${QUICK ? '**Quick smoke run (`BENCH_QUICK=1`): small counts, for checking the bench works — not figures to quote.**\n\n' : ''}${RUNS > 1 ? `**Median of ${RUNS} whole runs (\`BENCH_RUNS=${RUNS}\`)**: each row is its median run, with every run's ratio in brackets.\n\n` : ''}Produced by \`node --expose-gc dist/run.js\` in bench/ (${seconds} s): what \`npm run bench\` runs once turbo has built the packages; \`npm run bench -w bench\` runs it alone. Each row's port and raw anchor ran in the same process,
with trials interleaved (the order flips every trial) after a warm-up; rates are medians of the trials and the
ratio is the median of the per-trial ratios. Throughput ratios are port ÷ anchor (higher is better); rows whose
ratio is a time say so. The machine is shared and was busy during the run, so read ratios, not absolute numbers.

${table}

## Machine

${machine()}
`;
  await writeFile(new URL('../RESULTS.md', import.meta.url), results);
}
