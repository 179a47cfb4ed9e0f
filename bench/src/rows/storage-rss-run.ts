import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { median, scale } from '../lib/measure.js';
import type { RssJob } from '../storage-rss.js';

const run = promisify(execFile);

export interface RssFigure {
  peakMiB: number;
  growthMiB: number;
}

/** The two RSS jobs of a storage row, without the object count. */
export interface RssJobs {
  port: Omit<RssJob, 'count'>;
  anchor: Omit<RssJob, 'count'>;
}

async function once(job: RssJob): Promise<RssFigure> {
  const script = new URL('./storage-rss.js', import.meta.url).pathname;
  const { stdout } = await run(process.execPath, ['--expose-gc', script, JSON.stringify(job)], { timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as RssFigure;
}

/** Medians of alternating fresh-process runs (dist/storage-rss.js) of the port and the anchor. */
export async function rssOf(jobs: RssJobs, count: number): Promise<{ port: RssFigure; anchor: RssFigure; runs: number }> {
  const runs = scale(2, 1);
  const port: RssFigure[] = [];
  const anchor: RssFigure[] = [];
  for (let i = 0; i < runs; i++) {
    port.push(await once({ ...jobs.port, count }));
    anchor.push(await once({ ...jobs.anchor, count }));
  }
  const summary = (figures: RssFigure[]) => ({
    peakMiB: median(figures.map((f) => f.peakMiB)),
    growthMiB: median(figures.map((f) => f.growthMiB)),
  });
  return { port: summary(port), anchor: summary(anchor), runs };
}
