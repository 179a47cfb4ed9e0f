/** Default bound on each shadow call. */
import { DEFAULT_SHADOW_TIMEOUT_MS } from '../dual/shadow.js';
import type { PortName } from '../errors.js';
import { SwitchyardError } from '../errors.js';
import { adapterSpec } from './adapter-settings.js';
import { type ConfigProblem, PORTS, type PortPlan, PROVIDERS, type ProviderName, type ProvidersPlan, READ_MODES } from './config.js';
import { didYouMean } from './suggest.js';
import { type Env, EnvReader } from './variables.js';
/** Default share of read-only queries mirrored in `compare` mode. */
export const DEFAULT_DB_COMPARE_SAMPLE_RATE = 0.1;

const GLOBAL_VARIABLES = [
  'SWITCHYARD_LOCAL_DIR',
  'SWITCHYARD_LOCAL_BASE_URL',
  'SWITCHYARD_LOCAL_SECRET',
  'SWITCHYARD_SHADOW_TIMEOUT_MS',
  'SWITCHYARD_STORAGE_COPY_FORWARD',
  'SWITCHYARD_DB_COMPARE_SAMPLE',
];

/** Every `SWITCHYARD_*` variable createProviders understands. */
export const SWITCHYARD_VARIABLES: readonly string[] = [
  ...PORTS.flatMap((port) => {
    const name = `SWITCHYARD_${port.toUpperCase()}`;
    return [name, `${name}_SHADOW`, `${name}_READS`];
  }),
  ...GLOBAL_VARIABLES,
];

function unknownVariables(env: Env, reader: EnvReader): void {
  for (const variable of Object.keys(env)) {
    if (!variable.startsWith('SWITCHYARD_') || SWITCHYARD_VARIABLES.includes(variable)) continue;
    // Read by the `switchyard` command (@switchyard/migrate), which shares the app's environment.
    if (variable.startsWith('SWITCHYARD_MIGRATE_')) continue;
    const suggestion = didYouMean(variable, SWITCHYARD_VARIABLES);
    // A typo must not silently leave a port on its default provider.
    reader.report(
      variable,
      suggestion ? `is not a Switchyard variable (did you mean ${suggestion}?)` : 'is not a Switchyard variable',
      `one of ${SWITCHYARD_VARIABLES.join(', ')}, or remove it`,
    );
  }
}

function portPlan(port: PortName, reader: EnvReader): PortPlan {
  const name = `SWITCHYARD_${port.toUpperCase()}`;
  const primary = reader.oneOf<ProviderName>(name, PROVIDERS, 'local');
  const shadowValue = reader.optional(`${name}_SHADOW`);
  const shadow = shadowValue === undefined ? undefined : reader.oneOf<ProviderName>(`${name}_SHADOW`, PROVIDERS, primary);
  const reads = reader.oneOf(`${name}_READS`, READ_MODES, 'primary');
  if (shadowValue !== undefined && shadow === primary && PROVIDERS.includes(shadowValue.toLowerCase() as ProviderName)) {
    reader.report(`${name}_SHADOW`, `is the same provider as ${name} (${primary})`, `a different provider than the primary, or unset`);
  }
  if (shadowValue === undefined && reads !== 'primary') {
    reader.report(
      `${name}_READS`,
      `is "${reads}" but ${name}_SHADOW is not set`,
      `primary, or set ${name}_SHADOW to the provider to read from`,
    );
  }
  const dual = shadow !== undefined && shadow !== primary;
  return {
    primary: adapterSpec(port, primary, reader),
    shadow: dual ? adapterSpec(port, shadow, reader) : undefined,
    reads: dual ? reads : 'primary',
  };
}

/** The parsed plan and every problem found; pure, so it can be checked without opening anything. */
export function parseProvidersEnv(env: Env): { plan: ProvidersPlan; problems: ConfigProblem[] } {
  const reader = new EnvReader(env);
  unknownVariables(env, reader);
  const [storage, auth, db, pubsub] = PORTS.map((port) => portPlan(port, reader)) as [PortPlan, PortPlan, PortPlan, PortPlan];
  const plan: ProvidersPlan = {
    storage,
    auth,
    db,
    pubsub,
    shadowTimeoutMs: reader.number(
      'SWITCHYARD_SHADOW_TIMEOUT_MS',
      DEFAULT_SHADOW_TIMEOUT_MS,
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of milliseconds, e.g. 2000',
    ),
    storageCopyForward: reader.boolean('SWITCHYARD_STORAGE_COPY_FORWARD', false),
    dbCompareSampleRate: reader.number(
      'SWITCHYARD_DB_COMPARE_SAMPLE',
      DEFAULT_DB_COMPARE_SAMPLE_RATE,
      (n) => n >= 0 && n <= 1,
      'a share from 0 to 1, e.g. 0.1 for one read in ten',
    ),
  };
  return { plan, problems: reader.problems };
}

/** One CONFIG error listing every problem, each with what the variable should look like. */
export function configError(problems: readonly ConfigProblem[]): SwitchyardError {
  const lines = problems.map((p) => `- ${p.variable} ${p.problem}; expected ${p.expected}`);
  return new SwitchyardError({
    code: 'CONFIG',
    operation: 'createProviders',
    message: `Switchyard configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    details: { problems: problems.map((p) => ({ ...p })) },
  });
}

/** Reads the environment once; throws one CONFIG error listing every problem. */
export function readProvidersPlan(env: Env): ProvidersPlan {
  const { plan, problems } = parseProvidersEnv(env);
  if (problems.length > 0) throw configError(problems);
  return plan;
}
