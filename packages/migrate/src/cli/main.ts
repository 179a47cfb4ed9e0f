import { type PortName, SwitchyardError } from '@switchyard/core';
import { createCounters } from '@switchyard/otel/counters';
import { checkNext } from '../check.js';
import { copyObjects } from '../copy/objects.js';
import { copyUsers } from '../copy/users.js';
import { syncSequences } from '../db/sequences.js';
import { replicate, reverse, switchDatabases } from '../db/steps.js';
import { catchUp, freeze, unfreeze } from '../db/switch.js';
import { ALL_PORTS, type Env, type Migration, type Phase, readMigration } from '../model/migration.js';
import { type EnvFormat, formatVariables, phaseVariables } from '../model/phase-env.js';
import { type OpenedSides, openSides } from '../model/sides.js';
import type { ProgressSink } from '../progress.js';
import type { RunResult } from '../resumable.js';
import { parseShard } from '../shard.js';
import { readStatus } from '../status.js';
import { verifyObjects } from '../verify/objects.js';
import { verifyTables } from '../verify/tables.js';
import { verifyUsers } from '../verify/users.js';
import { type ParsedArgs, parseCommandLine, USAGE, usageError } from './args.js';
import { renderCounters, statusCounters } from './counters.js';
import { renderCheck, renderStatus } from './render.js';

/** Where the command reads and writes; the bin passes the process's, tests their own. */
export interface CommandIo {
  env: Env;
  stdout: (text: string) => void;
  /** Progress and human messages. */
  stderr: ProgressSink;
  /** Aborted on Ctrl-C: copies and verifies stop at a checkpoint. */
  signal?: AbortSignal | undefined;
}

/** Exit codes: 0 done, 1 something blocks or differs, 2 bad usage or configuration, 130 stopped by Ctrl-C. */
export const EXIT = { ok: 0, attention: 1, usage: 2, stopped: 130 } as const;

type Handler = (args: ParsedArgs, migration: Migration, io: CommandIo) => Promise<number>;

function print(io: CommandIo, args: ParsedArgs, value: unknown, text: string): void {
  io.stdout(args.json ? JSON.stringify(value, null, 2) : text);
}

async function withSides(
  migration: Migration,
  ports: ('storage' | 'auth' | 'db')[],
  fn: (sides: OpenedSides) => Promise<number>,
): Promise<number> {
  for (const port of ports) {
    if (!migration.ports.includes(port)) throw usageError(`the ${port} port is not part of this migration (SWITCHYARD_MIGRATE_PORTS).`);
  }
  const sides = await openSides(migration, ports);
  try {
    return await fn(sides);
  } finally {
    await sides.close();
  }
}

function runOutcome<C extends Record<string, number>>(
  io: CommandIo,
  args: ParsedArgs,
  name: string,
  result: RunResult<C>,
  attention: (keyof C)[],
): number {
  const needs = attention.filter((k) => (result.counts[k] ?? 0) > 0);
  const summary = `${name}: ${Object.entries(result.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}${result.stopped ? ' (stopped; run again to resume)' : ''}${needs.length ? `\nsee ${result.problems}` : ''}`;
  print(io, args, result, summary);
  if (result.stopped) return EXIT.stopped;
  return needs.length > 0 ? EXIT.attention : EXIT.ok;
}

const runOptions = (args: ParsedArgs, migration: Migration, io: CommandIo) => ({
  stateDir: migration.stateDir,
  shard: parseShard(args.shard),
  concurrency: args.concurrency,
  pageSize: args.pageSize,
  restart: args.restart,
  signal: io.signal,
  progress: io.stderr,
});

/** The resumable runs of `copy` and `verify`: the port whose two sides each needs, and the counts that need attention. */
interface ResumableCommand {
  port: 'storage' | 'auth';
  attention: string[];
  start: (sides: OpenedSides, options: ReturnType<typeof runOptions>, args: ParsedArgs) => Promise<RunResult<Record<string, number>>>;
}

const RESUMABLE: Record<string, ResumableCommand> = {
  'copy objects': {
    port: 'storage',
    attention: ['failed'],
    start: ({ storage }, options, args) => copyObjects({ ...options, from: storage!.from, to: storage!.to, prefix: args.prefix }),
  },
  'copy users': {
    port: 'auth',
    attention: ['failed', 'conflicts'],
    start: ({ auth }, options) => copyUsers({ ...options, from: auth!.from, to: auth!.to }),
  },
  'verify objects': {
    port: 'storage',
    attention: ['missing', 'differs', 'failed'],
    start: ({ storage }, options, args) =>
      verifyObjects({ ...options, from: storage!.from, to: storage!.to, prefix: args.prefix, deep: args.deep }),
  },
  'verify users': {
    port: 'auth',
    attention: ['missing', 'split', 'failed'],
    start: ({ auth }, options) => verifyUsers({ ...options, from: auth!.from, to: auth!.to }),
  },
};

/** Runs `copy <what>` or `verify <what>` when it is one of the resumable runs; undefined when it is not. */
function resumable(args: ParsedArgs, migration: Migration, io: CommandIo): Promise<number> | undefined {
  const name = `${args.command[0]} ${args.command[1]}`;
  const command = Object.hasOwn(RESUMABLE, name) ? RESUMABLE[name] : undefined;
  if (!command) return undefined;
  return withSides(migration, [command.port], async (sides) =>
    runOutcome(io, args, name, await command.start(sides, runOptions(args, migration, io), args), command.attention),
  );
}

const copy: Handler = async (args, migration, io) => {
  const run = resumable(args, migration, io);
  if (run) return run;
  throw usageError('copy needs objects or users.');
};

const verify: Handler = async (args, migration, io) => {
  const run = resumable(args, migration, io);
  if (run) return run;
  const what = args.command[1];
  if (what === 'tables') {
    return withSides(migration, ['db'], async ({ db }) => {
      const result = await verifyTables({
        from: db!.from,
        to: db!.to,
        schemas: migration.schemas,
        stateDir: migration.stateDir,
        concurrency: args.concurrency,
        signal: io.signal,
        progress: io.stderr,
      });
      const lines = result.tables.map(
        (t) =>
          `${t.table}: ${t.rows.source} rows at the source, ${t.rows.target} at the target${t.differingChunks ? `, ${t.missing} missing, ${t.extra} extra, ${t.changed} changed` : ''}${t.problem ? ` (${t.problem})` : ''}`,
      );
      print(io, args, result, [...lines, `${result.differing} differing table(s); report: ${result.report}`].join('\n'));
      if (!result.done) return EXIT.stopped;
      return result.differing > 0 ? EXIT.attention : EXIT.ok;
    });
  }
  throw usageError('verify needs objects, users or tables.');
};

const sequences: Handler = async (args, migration, io) => {
  if (args.command[1] !== 'sync') throw usageError('sequences needs sync.');
  return withSides(migration, ['db'], async ({ db }) => {
    const result = await syncSequences({
      from: db!.from,
      to: db!.to,
      schemas: migration.schemas,
      margin: args.margin ?? 1000,
      dryRun: args.dryRun,
    });
    const lines = result.changed.map(
      (c) => `${c.sequence}: ${c.before ?? 'unset'} → ${c.setTo} (source ${c.source})${args.dryRun ? ' (dry run)' : ''}`,
    );
    for (const m of result.missing) lines.push(`${m.sequence}: missing at the target (run the schema migrations there)`);
    print(
      io,
      args,
      result,
      [...lines, `${result.changed.length} changed, ${result.unchanged.length} already ahead, ${result.missing.length} missing`].join('\n'),
    );
    return result.missing.length > 0 ? EXIT.attention : EXIT.ok;
  });
};

const db: Handler = async (args, migration, io) => {
  const step = args.command[1];
  const timeoutMs = (args.timeout ?? 120) * 1000;
  return withSides(migration, ['db'], async ({ db: sides }) => {
    const both = sides as NonNullable<typeof sides>;
    let result: unknown;
    let ok = true;
    if (step === 'replicate') result = await replicate(migration, both);
    else if (step === 'freeze') result = await freeze(both.from);
    else if (step === 'unfreeze') result = await unfreeze(both.from);
    else if (step === 'catch-up') {
      const caught = await catchUp({ publisher: both.from, subscriber: both.to, timeoutMs, ...(io.signal ? { signal: io.signal } : {}) });
      ok = caught.caughtUp;
      result = caught;
    } else if (step === 'reverse') result = await reverse(migration, both);
    else if (step === 'switch') {
      const switched = await switchDatabases(migration, both, {
        timeoutMs,
        ...(args.margin !== undefined ? { margin: args.margin } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      });
      ok = switched.catchUp.caughtUp;
      result = switched;
    } else throw usageError('db needs replicate, switch, freeze, catch-up, reverse or unfreeze.');
    print(
      io,
      args,
      result ?? { done: true },
      `db ${step}: ${ok ? 'done' : 'NOT caught up (the source stays frozen; run it again, or db unfreeze to roll back)'}\n${JSON.stringify(result ?? {})}`,
    );
    return ok ? EXIT.ok : EXIT.attention;
  });
};

function onlyPorts(args: ParsedArgs, migration: Migration): Migration {
  if (args.port.length === 0) return migration;
  const unknown = args.port.filter((p) => !ALL_PORTS.includes(p as PortName));
  if (unknown.length > 0) throw usageError(`--port ${unknown.join(', ')} is not a port; expected ${ALL_PORTS.join(', ')}.`);
  return { ...migration, ports: migration.ports.filter((p) => args.port.includes(p)) };
}

const HANDLERS: Record<string, Handler> = {
  status: async (args, migration, io) => {
    // The command's own port calls, counted as the app counts its own at /metrics.
    const observed = createCounters();
    const sides = await openSides(migration, ['storage', 'auth', 'db'], observed.onEvent);
    try {
      const status = await readStatus(migration, sides);
      const counters = statusCounters(observed.snapshot(), status);
      print(io, args, { ...status, counters }, `${renderStatus(status)}\n${renderCounters(counters)}`);
    } finally {
      await sides.close();
    }
    return EXIT.ok;
  },
  check: async (args, migration, io) => {
    if (!args.next) throw usageError('check needs --next.');
    const result = checkNext(await readStatus(onlyPorts(args, migration)));
    print(io, args, result, renderCheck(result));
    return result.blockers.length > 0 ? EXIT.attention : EXIT.ok;
  },
  env: async (args, migration, io) => {
    const phase = Number(args.phase);
    if (![1, 2, 3, 4].includes(phase)) throw usageError(`--phase is "${args.phase ?? ''}"; expected 1, 2, 3 or 4.`);
    const format = (args.format ?? (args.json ? 'json' : 'dotenv')) as EnvFormat;
    if (!['dotenv', 'shell', 'json'].includes(format)) throw usageError(`--format is "${format}"; expected dotenv, shell or json.`);
    io.stdout(formatVariables(phaseVariables(onlyPorts(args, migration), phase as Phase), format));
    return EXIT.ok;
  },
  copy,
  verify,
  sequences,
  db,
};

/** Runs one `switchyard` command; returns the exit code. Errors are printed (typed, secret-free), never thrown. */
export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    const name = args.command[0];
    if (args.help || !name) {
      io.stdout(USAGE);
      return name || args.help ? EXIT.ok : EXIT.usage;
    }
    const handler = HANDLERS[name];
    if (!handler) throw usageError(`unknown command "${name}".`);
    const phases = name === 'env' ? 'optional' : 'required';
    return await handler(args, await readMigration(io.env, { from: args.from, to: args.to }, { phases }), io);
  } catch (error) {
    const e = SwitchyardError.isInstance(error)
      ? error
      : new SwitchyardError({
          code: 'UNAVAILABLE',
          operation: 'switchyard',
          message: String((error as Error)?.message ?? error),
          cause: error,
        });
    const json = argv.includes('--json');
    if (json) io.stdout(JSON.stringify({ error: e.toJSON() }, null, 2));
    io.stderr.write(`switchyard: ${e.code}: ${e.message}\n`);
    return e.code === 'CONFIG' || e.code === 'INVALID_INPUT' ? EXIT.usage : EXIT.attention;
  }
}
