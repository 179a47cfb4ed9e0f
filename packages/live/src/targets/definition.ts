import { type AdapterDescriptor, type ConfigProblem, type Env, EnvReader, readSettings, type Settings } from '@switchyard/core/adapter';

/** The ports the live tier has suites for. */
export type LivePort = 'storage' | 'auth' | 'db' | 'pubsub';

/**
 * A place the suite writes into: a bucket, a database, a Redis server or key space. Its name must
 * start with the live prefix, or its `id` be listed in SWITCHYARD_LIVE_ALLOW.
 */
export interface Container {
  /** The variable that names it, for the refusal. */
  variable: string;
  /** What it is, e.g. `bucket`. */
  kind: string;
  /** What must start with the prefix. */
  name: string;
  /** What SWITCHYARD_LIVE_ALLOW must list to accept it without the prefix. */
  id: string;
  /** Why nothing of it checkable before any I/O can carry the prefix, when so: only the allow-list accepts it. */
  unprefixable?: string;
}

/** What a target's live-only reading is given: the reader its descriptor reported to, and the live prefix. */
export interface TargetContext {
  env: EnvReader;
  prefix: string;
}

/**
 * A target: an adapter's descriptor, which reads its variables exactly as `createProviders` does,
 * and what only the live tier adds — the places the suites write into, and live-only overrides.
 * `Options` is what the suites get: the descriptor's options after `adjust`.
 */
export interface TargetDefinition<Name extends string, Opened, Options extends Opened = Opened> {
  name: Name;
  port: LivePort;
  descriptor: AdapterDescriptor<Settings, Opened>;
  /** What of the port's contract runs, when not all of it (the target list says so). */
  scope?: string;
  /** The live tier's own variables for this target, for the target list (`adjust` reads them). */
  live?: Settings;
  /**
   * What the target list says after a variable instead of when the descriptor requires it, e.g.
   * that SWITCHYARD_LIVE_ALLOW must list it.
   */
  notes?: Readonly<Record<string, string>>;
  /** Variables of the descriptor the live tier refuses when set, and why. */
  refuses?: { variables: readonly string[]; why: string };
  /** Live-only changes on top of the descriptor's options, reporting problems to `context.env`. */
  adjust?(options: Opened, context: TargetContext): Options;
  containers(options: Options): Container[];
}

/** Types a target without widening its options. */
export function defineTarget<Name extends string, Opened, Options extends Opened = Opened>(
  definition: TargetDefinition<Name, Opened, Options>,
): TargetDefinition<Name, Opened, Options> {
  return definition;
}

/** The options a target hands its suites. */
export type OptionsOf<T> = T extends TargetDefinition<string, unknown, infer Options> ? Options : never;

/**
 * A target's options from `env`: the descriptor's settings and options, as `createProviders` reads
 * them, then the live tier's overrides; with every problem any of them found.
 */
export function readTarget<Opened, Options extends Opened>(
  definition: TargetDefinition<string, Opened, Options>,
  env: Env,
  prefix: string,
): { options: Options; problems: ConfigProblem[] } {
  const reader = new EnvReader(env);
  const { descriptor } = definition;
  const opened = descriptor.options(readSettings(descriptor.settings, reader), reader);
  for (const variable of definition.refuses?.variables ?? []) {
    const reported = reader.problems.some((problem) => problem.variable === variable);
    if (reader.optional(variable) !== undefined && !reported) reader.report(variable, 'is set', `it unset: ${definition.refuses?.why}`);
  }
  const options = definition.adjust ? definition.adjust(opened, { env: reader, prefix }) : (opened as Options);
  return { options, problems: reader.problems };
}

/** A PostgreSQL connection URL's host and database name, or undefined when it does not parse. */
export function databaseOf(connectionString: string): { host: string; database: string } | undefined {
  try {
    const url = new URL(connectionString);
    return { host: url.hostname, database: decodeURIComponent(url.pathname.replace(/^\//, '')) };
  } catch {
    return undefined;
  }
}
