import { type ConfigProblem, type PortName, planProviders, SwitchyardError } from '@switchyard/core';
import { configError } from '@switchyard/core/adapter';

/** The providers the command moves between. */
export type ProviderName = 'local' | 'aws' | 'supabase';

/** The four steps of a port's migration: 1 from alone, 2 from primary + to shadow, 3 to primary + from shadow, 4 to alone. */
export type Phase = 1 | 2 | 3 | 4;

export type Env = Readonly<Record<string, string | undefined>>;

export const ALL_PORTS: readonly PortName[] = ['storage', 'auth', 'db', 'pubsub'];
const PROVIDERS: readonly ProviderName[] = ['local', 'aws', 'supabase'];

/** What the `switchyard` command reads besides createProviders' own variables (core ignores these). */
export const MIGRATE_VARIABLES = {
  from: 'SWITCHYARD_MIGRATE_FROM',
  to: 'SWITCHYARD_MIGRATE_TO',
  ports: 'SWITCHYARD_MIGRATE_PORTS',
  dir: 'SWITCHYARD_MIGRATE_DIR',
  schemas: 'SWITCHYARD_MIGRATE_SCHEMAS',
  fromConninfo: 'SWITCHYARD_MIGRATE_FROM_CONNINFO',
  toConninfo: 'SWITCHYARD_MIGRATE_TO_CONNINFO',
} as const;

/** A migration of some ports from one provider to another, and where each port stands. */
export interface Migration {
  from: ProviderName;
  to: ProviderName;
  /** The ports that move (default all four). */
  ports: PortName[];
  /** Each moving port's phase, read from `SWITCHYARD_<PORT>` and `_SHADOW`. */
  phases: Partial<Record<PortName, Phase>>;
  /** The environment as createProviders reads it (the migrate variables left out). */
  env: Env;
  /** Where checkpoints and reports are kept. Default `.switchyard/migrate`. */
  stateDir: string;
  /** The database schemas whose tables replicate (default `public`). */
  schemas: string[];
}

export interface MigrationFlags {
  from?: string | undefined;
  to?: string | undefined;
}

/** One CONFIG error listing every problem, as createProviders does. */
export function migrateConfigError(problems: readonly ConfigProblem[], operation = 'switchyard'): SwitchyardError {
  return configError(problems, { subject: 'switchyard: the configuration', operation });
}

const blank = (value: string | undefined) => value === undefined || value.trim() === '';

function provider(value: string | undefined, variable: string, problems: ConfigProblem[]): ProviderName | undefined {
  if (blank(value)) {
    problems.push({
      variable,
      problem: 'is not set',
      expected: `the provider the app moves ${variable.endsWith('FROM') ? 'from' : 'to'}: ${PROVIDERS.join(', ')}`,
    });
    return undefined;
  }
  const name = (value as string).trim().toLowerCase() as ProviderName;
  if (PROVIDERS.includes(name)) return name;
  problems.push({ variable, problem: `is "${value}"`, expected: `one of ${PROVIDERS.join(', ')}` });
  return undefined;
}

/** The phase `SWITCHYARD_<PORT>` and `_SHADOW` describe, or a problem. */
function phaseOf(env: Env, port: PortName, from: ProviderName, to: ProviderName, problems: ConfigProblem[]): Phase | undefined {
  const name = `SWITCHYARD_${port.toUpperCase()}`;
  const primary = (env[name]?.trim().toLowerCase() || 'local') as string;
  const shadow = env[`${name}_SHADOW`]?.trim().toLowerCase() || undefined;
  if (primary === from && shadow === undefined) return 1;
  if (primary === from && shadow === to) return 2;
  if (primary === to && shadow === from) return 3;
  if (primary === to && shadow === undefined) return 4;
  problems.push({
    variable: name,
    problem: `is "${primary}"${shadow ? ` with ${name}_SHADOW "${shadow}"` : ''}, which is no phase of a migration from ${from} to ${to}`,
    expected: `the variables of one phase: run switchyard env --phase N (1: ${from}; 2: ${from} + shadow ${to}; 3: ${to} + shadow ${from}; 4: ${to})`,
  });
  return undefined;
}

function portsOf(value: string | undefined, problems: ConfigProblem[]): PortName[] {
  if (blank(value)) return [...ALL_PORTS];
  const names = (value as string)
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !ALL_PORTS.includes(n as PortName));
  if (unknown.length > 0 || names.length === 0) {
    problems.push({
      variable: MIGRATE_VARIABLES.ports,
      problem: `names ${unknown.join(', ') || 'no port'}`,
      expected: `a comma-separated list of ${ALL_PORTS.join(', ')}`,
    });
  }
  return ALL_PORTS.filter((p) => names.includes(p));
}

/** The environment without the migrate variables: exactly what the app's createProviders sees. */
export function appEnv(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('SWITCHYARD_MIGRATE_')));
}

/**
 * Reads the migration from the environment (flags win over variables): both providers, the moving
 * ports and each one's phase, and checks that both sides of every moving port are fully configured
 * (the settings of both providers are needed whatever the phase). Throws one CONFIG error listing
 * every problem. With `phases: 'optional'`, a port whose variables describe no phase is left out of `phases`.
 */
export async function readMigration(
  env: Env,
  flags: MigrationFlags = {},
  options: { phases?: 'required' | 'optional' } = {},
): Promise<Migration> {
  const problems: ConfigProblem[] = [];
  const from = provider(flags.from ?? env[MIGRATE_VARIABLES.from], flags.from ? '--from' : MIGRATE_VARIABLES.from, problems);
  const to = provider(flags.to ?? env[MIGRATE_VARIABLES.to], flags.to ? '--to' : MIGRATE_VARIABLES.to, problems);
  if (from && to && from === to) {
    problems.push({
      variable: MIGRATE_VARIABLES.to,
      problem: `is the same provider as ${MIGRATE_VARIABLES.from} (${from})`,
      expected: 'the provider the app moves to',
    });
  }
  const ports = portsOf(env[MIGRATE_VARIABLES.ports], problems);
  const phases: Partial<Record<PortName, Phase>> = {};
  const app = appEnv(env);
  if (from && to && from !== to) {
    for (const port of ports) {
      // `env --phase N` prints the variables of a phase; it needs no valid phase to start from.
      const phase = phaseOf(app, port, from, to, options.phases === 'optional' ? [] : problems);
      if (phase) phases[port] = phase;
    }
    // Both sides' settings, read as createProviders would in phase 2.
    problems.push(...(await settingsProblems(bothSidesEnv(app, from, to, ports), ports)));
  }
  const schemas = (env[MIGRATE_VARIABLES.schemas] ?? 'public')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (problems.length > 0) throw migrateConfigError(problems);
  return {
    from: from as ProviderName,
    to: to as ProviderName,
    ports,
    phases,
    env: app,
    stateDir: env[MIGRATE_VARIABLES.dir]?.trim() || '.switchyard/migrate',
    schemas: schemas.length > 0 ? schemas : ['public'],
  };
}

/** What createProviders would refuse in these settings, as problems to list with the command's own. */
async function settingsProblems(env: Env, ports: readonly PortName[]): Promise<ConfigProblem[]> {
  try {
    await planProviders(env, { ports });
    return [];
  } catch (error) {
    const problems = SwitchyardError.hasCode(error, 'CONFIG') ? (error.details as { problems?: ConfigProblem[] }).problems : undefined;
    if (!problems) throw error;
    return problems;
  }
}

/** The app's environment with every moving port set to `from` primary and `to` shadow: opens both sides. */
export function bothSidesEnv(env: Env, from: ProviderName, to: ProviderName, ports: readonly PortName[]): Env {
  const result: Record<string, string | undefined> = { ...env };
  for (const port of ports) {
    const name = `SWITCHYARD_${port.toUpperCase()}`;
    result[name] = from;
    result[`${name}_SHADOW`] = to;
    delete result[`${name}_READS`];
  }
  delete result.SWITCHYARD_STORAGE_COPY_FORWARD;
  return result;
}
