import { type Checkpoint, CheckpointFile } from './checkpoint.js';
import { type Page, pagedRun } from './paged-run.js';
import { Progress, type ProgressSink } from './progress.js';
import { inShard, type Shard, WHOLE } from './shard.js';

export type Counts = Record<string, number>;

/** What every copy and verify run takes. */
export interface RunOptions {
  /** Where checkpoints and reports go. */
  stateDir: string;
  /** This worker's share; each shard has its own checkpoint. Default the whole run. */
  shard?: Shard | undefined;
  /** Items handled at once. */
  concurrency?: number | undefined;
  /** Aborting stops at the next checkpoint: items in flight finish, then the run returns `stopped`. */
  signal?: AbortSignal | undefined;
  /** Ignore a checkpoint of an unfinished run and start from the beginning. */
  restart?: boolean | undefined;
  /** Where progress lines go (stderr in the command); none by default. */
  progress?: ProgressSink | undefined;
  /** Items per listed page, and so between checkpoints (1–1000 for objects, 1–60 for users). */
  pageSize?: number | undefined;
}

/** How a run ended. */
export interface RunResult<C extends Counts> {
  counts: C;
  /** The whole listing was handled. */
  done: boolean;
  /** Stopped by the signal before the end; run again to resume. */
  stopped: boolean;
  /** The checkpoint file, and the JSON-lines file of the items that need attention. */
  checkpoint: string;
  problems: string;
}

/** What handling one item came to: the count it adds to, and a problem to record if any. */
export interface Outcome<C extends Counts> {
  count: keyof C & string;
  problem?: Record<string, unknown>;
}

interface ResumableRun<T, C extends Counts> extends RunOptions {
  run: string;
  label: string;
  zero: () => C;
  list: (cursor: string | undefined) => Promise<Page<T>>;
  /** The key that decides the shard (object key, user id). */
  keyOf: (item: T) => string;
  /** Handles one item of this shard. */
  handle: (item: T) => Promise<Outcome<C>>;
  defaultConcurrency: number;
}

function add<C extends Counts>(into: C, from: C): void {
  for (const [name, value] of Object.entries(from)) (into as Counts)[name] = ((into as Counts)[name] ?? 0) + value;
}

const summary = (counts: Counts) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');

/** Reads a run's last checkpoint (for `status` and `check`), or undefined when it never ran. */
export function readCheckpoint<C extends Counts>(stateDir: string, run: string, shard: Shard = WHOLE): Promise<Checkpoint<C> | undefined> {
  return new CheckpointFile<C>(stateDir, run, shard).read();
}

/**
 * A run over a paged listing that survives stops: it resumes from the checkpoint of an unfinished
 * run (a finished one starts a new pass), counts only what pages fully done hold, and writes every
 * item that needs attention to a JSON-lines file beside the checkpoint.
 */
export async function resumableRun<T, C extends Counts>(options: ResumableRun<T, C>): Promise<RunResult<C>> {
  const shard = options.shard ?? WHOLE;
  const file = new CheckpointFile<C>(options.stateDir, options.run, shard);
  const previous = options.restart ? undefined : await file.read();
  const resume = previous && !previous.done ? previous : undefined;
  if (!resume) await file.resetProblems();
  const now = () => new Date().toISOString();
  const checkpoint: Checkpoint<C> = resume ?? {
    run: options.run,
    shard,
    counts: options.zero(),
    done: false,
    startedAt: now(),
    updatedAt: now(),
  };
  // A finished earlier pass says how many items to expect: the bar and its ETA.
  const expected = previous?.done ? Object.values(previous.counts).reduce((a, b) => a + b, 0) : undefined;
  const progress = new Progress({ label: options.label, sink: options.progress, total: expected });
  const perPage = new Map<number, C>();
  const running = options.zero();

  async function* pages(): AsyncGenerator<Page<T>> {
    let cursor = checkpoint.cursor;
    do {
      const page = await options.list(cursor);
      yield page;
      cursor = page.cursor;
    } while (cursor);
  }

  const { stopped } = await pagedRun<T>({
    pages: pages(),
    concurrency: options.concurrency ?? options.defaultConcurrency,
    signal: options.signal,
    task: async (item, page) => {
      const counts = perPage.get(page) ?? options.zero();
      perPage.set(page, counts);
      if (!inShard(shard, options.keyOf(item))) return;
      const { count, problem } = await options.handle(item);
      (counts as Counts)[count] = ((counts as Counts)[count] ?? 0) + 1;
      (running as Counts)[count] = ((running as Counts)[count] ?? 0) + 1;
      if (problem) await file.problem(problem);
      progress.tick(1, summary(running));
    },
    pageDone: async (cursor, last, page) => {
      add(checkpoint.counts, perPage.get(page) ?? options.zero());
      perPage.delete(page);
      checkpoint.cursor = cursor;
      checkpoint.done = last;
      checkpoint.updatedAt = now();
      await file.write(checkpoint);
    },
  });
  progress.finish(stopped ? ' — stopped at a checkpoint; run the same command again to resume' : '');
  return { counts: checkpoint.counts, done: checkpoint.done, stopped, checkpoint: file.path, problems: file.problemsPath };
}
