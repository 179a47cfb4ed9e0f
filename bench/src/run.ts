/**
 * `npm run bench`: every row of issue 7 (and the figures of issues 3 and 4), each measured in
 * this one process against its raw-client anchor; prints one table and writes bench/RESULTS.md.
 * `BENCH_QUICK=1` runs a ~1-minute smoke version with smaller counts; `BENCH_RUNS=3` runs every
 * row three times and reports each row's median run (the issues' targets are medians of three).
 * Each of those runs is a fresh process, as three `npm run bench` would be: in one process the
 * later runs inherit the earlier ones' heap and JIT state, so they were not three samples alike.
 */
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
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
/** Set by the parent of a several-run bench: this process is one run, and hands its rows back in this file. */
const ROWS_OUT = process.env.BENCH_ROWS_OUT;

async function oneRun(label: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [id, what, module] of MODULES) {
    if (only && !only.includes(id)) continue;
    const moduleStart = performance.now();
    rows.push(...(await safely(id, what, module)));
    process.stderr.write(`bench: ${label}${what} done in ${((performance.now() - moduleStart) / 1000).toFixed(1)} s\n`);
  }
  return rows;
}

/** Run `run` of `RUNS`, in a fresh node with this one's flags. */
async function runInChild(run: number): Promise<Row[]> {
  const out = join(tmpdir(), `switchyard-bench-${process.pid}-run-${run}.json`);
  const env = { ...process.env, BENCH_RUNS: '1', BENCH_ROWS_OUT: out, BENCH_RUN_LABEL: `run ${run}/${RUNS}: ` };
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] as string], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('exit', resolve));
  if (code !== 0) throw new Error(`bench run ${run}/${RUNS} exited with ${code}`);
  try {
    return JSON.parse(await readFile(out, 'utf8')) as Row[];
  } finally {
    await rm(out, { force: true });
  }
}

if (ROWS_OUT) {
  await writeFile(ROWS_OUT, JSON.stringify(await oneRun(process.env.BENCH_RUN_LABEL ?? '')));
  process.exit(0);
}
const runs: Row[][] = [];
for (let run = 1; run <= RUNS; run++) runs.push(RUNS > 1 ? await runInChild(run) : await oneRun(''));
const table = renderTable(medianOfRuns(runs));
const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(table);
console.log(`\n${QUICK ? 'Quick smoke run' : 'Full run'} in ${seconds} s.`);

if (!only) {
  const results = `# Switchyard benchmark results

${QUICK ? '**Quick smoke run (`BENCH_QUICK=1`): small counts, for checking the bench works — not figures to quote.**\n\n' : ''}${RUNS > 1 ? `**Median of ${RUNS} whole runs (\`BENCH_RUNS=${RUNS}\`), each in a fresh process**: each row is its median run, with every run's ratio in brackets.\n\n` : ''}Produced by \`node --expose-gc dist/run.js\` in bench/ (${seconds} s): what \`npm run bench\` runs once turbo has built the packages; \`npm run bench -w bench\` runs it alone. Each row's port and raw anchor ran in the same process,
with trials interleaved (the order flips every trial) after a warm-up; rates are medians of the trials and the
ratio is the median of the per-trial ratios. Throughput ratios are port ÷ anchor (higher is better); rows whose
ratio is a time say so. The machine is shared and was busy during the run, so read ratios, not absolute numbers.

${table}

## Machine

${machine()}
`;
  await writeFile(new URL('../RESULTS.md', import.meta.url), results);
}
