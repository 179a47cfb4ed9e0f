import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, QUICK } from '../lib/measure.js';
import { ms, type Row, ratioText } from '../lib/row.js';

const run = promisify(execFile);
const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const MiB = 1024 * 1024;

/**
 * What `npm start` pays at start: `createProviders()` on the embedded defaults (all four ports
 * local, PGlite in a fresh data directory) against `PGlite.create()` of a fresh data directory
 * alone, both in fresh processes, alternating. Time from the first import to open, and RSS once open.
 */
const PORT = `const { createProviders } = await import('@switchyard/core');
const p = await createProviders({ env: { SWITCHYARD_LOCAL_DIR: process.argv[1] } });`;
const ANCHOR = `const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create(process.argv[1] + '/db');`;

async function spawnOpen(body: string): Promise<{ ms: number; rss: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'sy-bench-open-'));
  try {
    const script = `const t0 = performance.now(); ${body} console.log(JSON.stringify({ ms: performance.now() - t0, rss: process.memoryUsage().rss })); process.exit(0);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, dir], { cwd: BENCH_DIR, timeout: 120_000 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchEmbeddedOpen(): Promise<Row[]> {
  const trials = QUICK ? 2 : 5;
  const port: { ms: number; rss: number }[] = [];
  const anchor: { ms: number; rss: number }[] = [];
  await spawnOpen(PORT);
  await spawnOpen(ANCHOR);
  for (let i = 0; i < trials; i++) {
    // Alternate which goes first, so neither always meets a warmer cache.
    const pair = i % 2 === 0 ? [PORT, ANCHOR] : [ANCHOR, PORT];
    for (const body of pair) (body === PORT ? port : anchor).push(await spawnOpen(body));
  }
  const ratio = median(port.map((p, i) => p.ms / (anchor[i]?.ms ?? Number.NaN)));
  const rssAbove = (median(port.map((p) => p.rss)) - median(anchor.map((a) => a.rss))) / MiB;
  return [
    {
      id: '6e',
      what: 'createProviders() on the embedded defaults (fresh data folder) vs PGlite.create() of a fresh folder alone: time to open (ratio = port ÷ anchor, lower is better)',
      port: ms(median(port.map((p) => p.ms))),
      anchor: ms(median(anchor.map((a) => a.ms))),
      ratio: ratioText(ratio),
      target: '≤ 1.20',
      met: ratio <= 1.2 ? 'yes' : 'NO',
    },
    {
      id: '6e',
      what: 'createProviders() on the embedded defaults vs PGlite.create() alone: RSS once open (difference)',
      port: `${(median(port.map((p) => p.rss)) / MiB).toFixed(0)} MiB`,
      anchor: `${(median(anchor.map((a) => a.rss)) / MiB).toFixed(0)} MiB`,
      ratio: `${rssAbove >= 0 ? '+' : '−'}${Math.abs(rssAbove).toFixed(0)} MiB`,
      target: '≤ +30 MiB',
      met: rssAbove <= 30 ? 'yes' : 'NO',
    },
  ];
}
