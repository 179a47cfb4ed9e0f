import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handler } from './handler.js';
import { closeSharedProviders } from './providers.js';
import { scheduledEvent } from './scheduled-event.js';

/**
 * `npm run match -w examples/matching-job`: runs the Lambda handler here, with a scheduled event for
 * now (or `--time 2026-11-02T06:00:00Z`), on the providers the environment selects. Without any,
 * that is the community app's embedded data (examples/community-app/.data), so matches appear in
 * the app started with `npm start`.
 */
function timeArgument(args: string[]): Date {
  const index = args.indexOf('--time');
  if (index < 0) return new Date();
  const time = new Date(args[index + 1] ?? '');
  if (Number.isNaN(time.getTime())) throw new Error('--time needs an ISO date, e.g. --time 2026-11-02T06:00:00Z');
  return time;
}

/** PGlite is one process's database: opening the app's folder while the app runs would corrupt it. */
function refuseWhileAppRuns(dataDir: string): void {
  const pidFile = join(dataDir, 'app.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
  } catch {
    return;
  }
  throw new Error(
    `The community app (pid ${pid}) has the embedded database in ${dataDir} open. Stop it first (Ctrl-C), or run both on PostgreSQL (SWITCHYARD_DB=aws DATABASE_URL=…).`,
  );
}

try {
  const time = timeArgument(process.argv.slice(2));
  // The same folder the app uses (its DATA_DIR), so the matches land where the app reads them.
  process.env.SWITCHYARD_LOCAL_DIR ??= process.env.DATA_DIR ?? fileURLToPath(new URL('../../community-app/.data', import.meta.url));
  if ((process.env.SWITCHYARD_DB ?? 'local') === 'local') refuseWhileAppRuns(process.env.SWITCHYARD_LOCAL_DIR);
  const run = await handler(scheduledEvent(time));
  console.log(
    run.alreadyDone
      ? `The week of ${run.week} was already computed: ${run.pairs} pairs. Nothing changed.`
      : `Week of ${run.week}: ${run.members} members read, ${run.pairsAdded} new pairs, ${run.pairs} in all.`,
  );
  await closeSharedProviders();
} catch (error) {
  console.error(`The match job failed: ${error instanceof Error ? error.message : String(error)}`);
  await closeSharedProviders();
  process.exit(1);
}
