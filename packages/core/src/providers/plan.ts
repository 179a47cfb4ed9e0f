import type { AdapterDescriptor } from '../adapter/descriptor.js';
import { readSettings } from '../adapter/settings.js';
import type { PortName } from '../errors.js';
import { SwitchyardError } from '../errors.js';
import type { ConfigProblem, ReadMode } from './config.js';
import { configError } from './config-error.js';
import { type Flags, PORTS, readFlags, SWITCHYARD_FLAGS } from './flags.js';
import { isInstalled } from './peers.js';
import { type AdapterModule, loadDescriptor } from './resolve-adapter.js';
import { didYouMean } from './suggest.js';
import { type Env, EnvReader } from './variables.js';

/** One adapter as the environment configured it: ready to open, nothing opened yet. */
export interface PlannedAdapter {
  /** The name the flag gave, e.g. `aws`, `@acme/switchyard-gcs`. */
  name: string;
  descriptor: AdapterDescriptor;
  /** What its factory is called with. It holds secrets: printing the plan shows `settings` instead. */
  options: unknown;
  /** Every variable it read, secrets redacted. */
  settings: Record<string, string | undefined>;
  /** The `iss` of its access tokens (auth adapters). */
  issuer?: string | undefined;
}

export interface PortPlan {
  primary: PlannedAdapter;
  shadow?: PlannedAdapter | undefined;
  reads: ReadMode;
}

/** The parsed configuration of the ports asked for; the result of reading the environment once. */
export interface ProvidersPlan extends Omit<Flags, 'ports'> {
  ports: Partial<Record<PortName, PortPlan>>;
}

export interface PlanOptions {
  /** Only these ports (default all four). */
  ports?: readonly PortName[];
  /** Adapter modules already imported, by the name a flag gives them (for bundled apps). */
  adapters?: Readonly<Record<string, AdapterModule>>;
}

/** A flag's variable for one side of one port. */
const flagOf = (port: PortName, side: 'primary' | 'shadow') => `SWITCHYARD_${port.toUpperCase()}${side === 'shadow' ? '_SHADOW' : ''}`;

function plannedAdapter(
  name: string,
  descriptor: AdapterDescriptor,
  env: EnvReader,
  variable: string,
  suspects: ConfigProblem[],
): PlannedAdapter {
  const values = readSettings(descriptor.settings, env);
  const options = descriptor.options(values, env);
  const settings: Record<string, string | undefined> = {};
  for (const s of Object.values(descriptor.settings)) {
    const raw = env.optional(s.variable);
    settings[s.variable] = raw === undefined ? undefined : s.secret ? '[redacted]' : raw;
  }
  const missing = descriptor.peers(options).filter((peer) => isInstalled(peer) === false);
  if (missing.length > 0) {
    suspects.push({
      variable,
      problem: `selects ${name} (${descriptor.module}), which needs packages that are not installed`,
      expected: `npm install ${missing.join(' ')}`,
    });
  }
  const planned: PlannedAdapter = { name, descriptor, options, settings, issuer: descriptor.issuer?.(options) };
  // The options hold secrets and the descriptor its code: neither is worth printing.
  Object.defineProperty(planned, 'options', { enumerable: false });
  Object.defineProperty(planned, 'descriptor', { enumerable: false });
  return planned;
}

function unknownVariables(raw: Env, env: EnvReader, known: readonly string[]): void {
  for (const variable of Object.keys(raw)) {
    if (!variable.startsWith('SWITCHYARD_') || known.includes(variable)) continue;
    // Read by the `switchyard` command (@switchyard/migrate), which shares the app's environment.
    if (variable.startsWith('SWITCHYARD_MIGRATE_')) continue;
    const suggestion = didYouMean(variable, known);
    // A typo must not silently leave a port on its default adapter. Settings of adapters that are
    // not selected (SWITCHYARD_LOCAL_DIR with every port elsewhere) are not typos.
    if (!suggestion && !SWITCHYARD_FLAGS.some((flag) => variable.startsWith(`${flag}_`))) continue;
    env.report(
      variable,
      suggestion ? `is not a Switchyard variable (did you mean ${suggestion}?)` : 'is not a Switchyard variable',
      'a variable the selected adapters read, or remove it',
    );
  }
}

/**
 * Reads the flags, loads the descriptor of every selected adapter (dynamic `import()`), lets each
 * read its own settings, and checks the packages each needs. Throws one CONFIG error listing every
 * problem of every adapter; opens nothing.
 */
export async function planProviders(raw: Env, options: PlanOptions = {}): Promise<ProvidersPlan> {
  const env = new EnvReader(raw);
  const ports = options.ports ?? PORTS;
  const unknown = ports.filter((port) => !PORTS.includes(port));
  if (unknown.length > 0 || ports.length === 0) {
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      operation: 'createProviders',
      message: `ports must list some of ${PORTS.join(', ')}; got ${JSON.stringify(ports)}.`,
    });
  }
  const { ports: flags, ...globals } = readFlags(env, ports);
  const wanted = ports.flatMap((port) => {
    const f = flags[port];
    if (!f) return [];
    return [{ port, side: 'primary' as const, name: f.primary }, ...(f.shadow ? [{ port, side: 'shadow' as const, name: f.shadow }] : [])];
  });
  const descriptors = await Promise.all(wanted.map((w) => loadDescriptor(w.port, w.name, flagOf(w.port, w.side), options.adapters)));
  const plan: ProvidersPlan = { ...globals, ports: {} };
  const known = [...SWITCHYARD_FLAGS];
  // Packages that do not resolve from here. A bundled app carries them inside the bundle where no
  // resolver looks, so they are named only beside other problems; otherwise opening the adapter
  // tells (every adapter's failure is then listed in one error, see createProviders).
  const suspects: ConfigProblem[] = [];
  wanted.forEach((w, index) => {
    const loaded = descriptors[index];
    if (!loaded || !('create' in loaded)) {
      if (loaded) env.report(loaded.variable, loaded.problem, loaded.expected);
      return;
    }
    known.push(...Object.values(loaded.settings).map((s) => s.variable));
    const planned = plannedAdapter(w.name, loaded, env, flagOf(w.port, w.side), suspects);
    const portPlan = plan.ports[w.port] ?? { primary: planned, reads: flags[w.port]?.reads ?? 'primary' };
    plan.ports[w.port] = portPlan;
    if (w.side === 'shadow') portPlan.shadow = planned;
  });
  unknownVariables(raw, env, known);
  if (env.problems.length > 0) throw configError([...env.problems, ...suspects]);
  return plan;
}
