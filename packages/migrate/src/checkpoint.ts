import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Shard, shardSuffix } from './shard.js';

/** Where a run resumes: the listing cursor after the last page whose every item was handled, and the counts so far. */
export interface Checkpoint<Counts extends object> {
  /** `copy-objects`, `verify-users`, …: which run this is. */
  run: string;
  shard: Shard;
  /** The listing cursor to resume from; absent at the start. */
  cursor?: string | undefined;
  counts: Counts;
  /** True once the whole listing was handled. */
  done: boolean;
  startedAt: string;
  updatedAt: string;
}

/** A checkpoint file (JSON, replaced atomically) and a JSON-lines file beside it for the items that need attention. */
export class CheckpointFile<Counts extends object> {
  readonly path: string;
  readonly problemsPath: string;

  constructor(
    stateDir: string,
    readonly run: string,
    readonly shard: Shard,
  ) {
    this.path = join(stateDir, `${run}${shardSuffix(shard)}.json`);
    this.problemsPath = join(stateDir, `${run}${shardSuffix(shard)}.problems.jsonl`);
  }

  async read(): Promise<Checkpoint<Counts> | undefined> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Checkpoint<Counts>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Written to a temporary file and renamed over the old one, so a crash mid-write never leaves a torn checkpoint. */
  async write(checkpoint: Checkpoint<Counts>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`);
    await rename(temporary, this.path);
  }

  /** Starts the problems file afresh (a new run from the start) or keeps it (a resumed run). */
  async resetProblems(): Promise<void> {
    await mkdir(dirname(this.problemsPath), { recursive: true });
    await writeFile(this.problemsPath, '');
  }

  async problem(entry: Record<string, unknown>): Promise<void> {
    await appendFile(this.problemsPath, `${JSON.stringify(entry)}\n`);
  }

  async problems(): Promise<Record<string, unknown>[]> {
    try {
      const text = await readFile(this.problemsPath, 'utf8');
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}
