import { parseArgs } from 'node:util';
import { SwitchyardError } from '@switchyard/core';

export const USAGE = `Usage: switchyard <command> [options]

  status                         where each port stands: phase, journal backlog, copies, replication
  check --next                   everything that blocks each port's next phase (exit 1 if anything does)
  env --phase N                  the variables of phase N (1-4) for the app's next deployment
  copy objects|users             copy what the target lacks (resumable; --shard i/n)
  verify objects|users|tables    compare both sides; every difference goes to a JSON report
  sequences sync                 set target sequences past the source's (--margin N, --dry-run)
  db replicate                   phase 1→2: publish at the source, subscribe at the target
  db switch                      before phase 3: freeze, catch-up, sequences sync, reverse
  db freeze | catch-up | reverse | unfreeze   the steps of db switch one at a time (unfreeze rolls back)

Options:
  --from P, --to P     the providers (default SWITCHYARD_MIGRATE_FROM / _TO): local, aws, supabase
  --json               print the result as JSON on stdout
  --shard i/n          this worker's share of copy/verify (own checkpoint per shard)
  --concurrency N      items at once (copy/verify)
  --page-size N        items listed per page, so between checkpoints (copy/verify)
  --restart            ignore an unfinished run's checkpoint
  --prefix P           only object keys starting with P
  --deep               verify objects by downloading and hashing both sides
  --format F           env output: dotenv (default), shell, json
  --port P             check/env: only this port (repeatable)
  --timeout S          db catch-up/switch: seconds to wait (default 120)
  --margin N           sequences sync: added to the source's values (default 1000)
  --dry-run            sequences sync: report only

Settings come from the same environment as the app's createProviders (both providers' variables),
plus SWITCHYARD_MIGRATE_DIR (checkpoints, default .switchyard/migrate), SWITCHYARD_MIGRATE_PORTS,
SWITCHYARD_MIGRATE_SCHEMAS (default public), SWITCHYARD_MIGRATE_FROM_CONNINFO / _TO_CONNINFO.`;

export interface ParsedArgs {
  command: string[];
  json: boolean;
  from?: string | undefined;
  to?: string | undefined;
  next: boolean;
  phase?: string | undefined;
  shard?: string | undefined;
  concurrency?: number | undefined;
  pageSize?: number | undefined;
  restart: boolean;
  prefix?: string | undefined;
  deep: boolean;
  format?: string | undefined;
  port: string[];
  timeout?: number | undefined;
  margin?: number | undefined;
  dryRun: boolean;
  help: boolean;
}

function usageError(message: string): SwitchyardError {
  return new SwitchyardError({ code: 'INVALID_INPUT', operation: 'switchyard', message: `${message}\n\n${USAGE}` });
}

function whole(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw usageError(`--${name} is "${value}"; expected a whole number ≥ ${min}.`);
  return n;
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        from: { type: 'string' },
        to: { type: 'string' },
        next: { type: 'boolean', default: false },
        phase: { type: 'string' },
        shard: { type: 'string' },
        concurrency: { type: 'string' },
        'page-size': { type: 'string' },
        restart: { type: 'boolean', default: false },
        prefix: { type: 'string' },
        deep: { type: 'boolean', default: false },
        format: { type: 'string' },
        port: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        margin: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return {
    command: parsed.positionals,
    json: v.json === true,
    from: v.from as string | undefined,
    to: v.to as string | undefined,
    next: v.next === true,
    phase: v.phase as string | undefined,
    shard: v.shard as string | undefined,
    concurrency: whole('concurrency', v.concurrency as string | undefined, 1),
    pageSize: whole('page-size', v['page-size'] as string | undefined, 1),
    restart: v.restart === true,
    prefix: v.prefix as string | undefined,
    deep: v.deep === true,
    format: v.format as string | undefined,
    port: (v.port as string[] | undefined) ?? [],
    timeout: whole('timeout', v.timeout as string | undefined, 1),
    margin: whole('margin', v.margin as string | undefined, 0),
    dryRun: v['dry-run'] === true,
    help: v.help === true,
  };
}

export { usageError };
