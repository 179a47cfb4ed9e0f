import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint } from './checkpoint.js';
import type { Counts } from './resumable.js';

/** Every shard's checkpoint of one run, summed: what `status` and `check` read. */
export interface RunSummary {
  run: string;
  /** Some shard ran at least once. */
  ran: boolean;
  /** Every shard of the split (or the whole run) finished its last pass. */
  done: boolean;
  /** Shards that have a checkpoint, of how many the split has. */
  shards: { seen: number; of: number };
  counts: Counts;
  updatedAt?: string | undefined;
}

export async function readRun(stateDir: string, run: string): Promise<RunSummary> {
  let names: string[] = [];
  try {
    names = await readdir(stateDir);
  } catch {
    names = [];
  }
  const files = names.filter(
    (n) =>
      n.startsWith(run) && n.endsWith('.json') && !n.endsWith('.problems.jsonl') && (n === `${run}.json` || n.startsWith(`${run}.shard-`)),
  );
  const checkpoints: Checkpoint<Counts>[] = [];
  for (const file of files) checkpoints.push(JSON.parse(await readFile(join(stateDir, file), 'utf8')) as Checkpoint<Counts>);
  // The newest split wins: a whole run after a split (or the reverse) replaces it.
  const newest = checkpoints.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  const current = newest ? checkpoints.filter((c) => c.shard.count === newest.shard.count) : [];
  const counts: Counts = {};
  for (const c of current) for (const [k, v] of Object.entries(c.counts)) counts[k] = (counts[k] ?? 0) + v;
  const of = newest?.shard.count ?? 1;
  return {
    run,
    ran: current.length > 0,
    done: current.length === of && current.every((c) => c.done),
    shards: { seen: current.length, of },
    counts,
    updatedAt: newest?.updatedAt,
  };
}
