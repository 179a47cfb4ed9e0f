import { planProviders, SwitchyardError } from '@switchyard/core';

type Env = Readonly<Record<string, string | undefined>>;

/** The job reads and writes matches: the database is the only port it opens (src/providers.ts). */
export const JOB_PORTS = ['db'] as const;

/** The flags of those ports and the dual-run settings they may use. */
const FLAGS = [
  'SWITCHYARD_DB',
  'SWITCHYARD_DB_SHADOW',
  'SWITCHYARD_DB_READS',
  'SWITCHYARD_DB_COMPARE_SAMPLE',
  'SWITCHYARD_SHADOW_TIMEOUT_MS',
];

/**
 * Lambda sets these itself and refuses a function that sets them
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
const RESERVED = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/**
 * The match job's environment: exactly the variables the selected database adapters read (their
 * descriptors list them), checked the way createProviders will check them at the function's cold
 * start, so a bad configuration fails the synth instead of the first Monday. The job needs a
 * database that outlives the function, and no secret in plain text: a setting the adapter marks
 * secret would be readable by anyone who can read the function's configuration.
 */
export async function providerEnvironment(env: Env): Promise<Record<string, string>> {
  const problems: string[] = [];
  const plan = await planProviders(env, { ports: JOB_PORTS }).catch((error: unknown) => {
    if (!SwitchyardError.hasCode(error, 'CONFIG')) throw error;
    const listed = (error.details as { problems?: { variable: string; problem: string; expected: string }[] }).problems ?? [];
    problems.push(...listed.map((p) => `${p.variable} ${p.problem} (expected ${p.expected})`));
    return undefined;
  });
  const adapters = plan ? [plan.ports.db?.primary, plan.ports.db?.shadow].filter((a) => a !== undefined) : [];
  if (adapters.some((adapter) => adapter.name === 'local')) {
    problems.push('SWITCHYARD_DB is local (PGlite in /tmp, empty at every cold start) (expected aws or supabase)');
  }
  const settings = adapters.flatMap((adapter) => Object.values(adapter.descriptor.settings));
  const secrets = settings.filter((s) => s.secret && env[s.variable]?.trim() && !RESERVED.includes(s.variable)).map((s) => s.variable);
  if (secrets.length > 0) {
    problems.push(`${secrets.join(', ')} would be readable in the function's configuration (expected RDS_AUTH=iam or RDS_AUTH=secret)`);
  }
  if (problems.length > 0) throw new Error(`The match job's environment is not deployable:\n- ${problems.join('\n- ')}`);

  const environment: Record<string, string> = {};
  for (const name of [...FLAGS, ...settings.map((s) => s.variable)]) {
    const value = env[name]?.trim();
    if (value && !RESERVED.includes(name)) environment[name] = value;
  }
  return environment;
}
