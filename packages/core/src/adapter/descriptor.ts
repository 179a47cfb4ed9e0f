import type { PortName } from '../errors.js';
import type { OnEvent } from '../events.js';
import type { EnvReader } from '../providers/variables.js';
import type { ExtraKey } from './extras.js';
import type { SettingDoc, Settings, SettingValues } from './settings.js';

/** What every adapter is given when `createProviders` opens it. */
export interface AdapterContext {
  onEvent?: OnEvent | undefined;
  /** Offers something beside the port (see `extraKey`), for the app to read from `providers.extra(key)`. */
  provide<T>(key: ExtraKey<T>, value: T): void;
}

/**
 * How `createProviders` finds, configures and opens an adapter from the environment. Each adapter
 * subpath exports one; `SWITCHYARD_<PORT>=<name>` selects it (built-in names, a package name or a
 * module path, see the README). Core knows nothing else about any provider.
 */
export interface AdapterDescriptor<S extends Settings = Settings, Options = unknown, Port = unknown> {
  /** The name `SWITCHYARD_<PORT>` gives it, e.g. `aws`; also the `provider` of the port it opens. */
  readonly name: string;
  readonly port: PortName;
  /** Where it is exported from, for messages, e.g. `@switchyard/aws/s3`. */
  readonly module: string;
  /** One line for the generated reference. */
  readonly description: string;
  /** Every environment variable it reads, with docs and parsers. */
  readonly settings: S;
  /**
   * Turns the read values into the options its factory takes, reporting rules that span several
   * settings (pairs, conditionals) to `env`.
   */
  options(values: SettingValues<S>, env: EnvReader): Options;
  /** Packages the app must install for these options (optional peers, e.g. `@aws-sdk/client-s3`). */
  peers(options: Options): readonly string[];
  /** Auth adapters: the `iss` of the access tokens it issues, which dual-run routes by. */
  issuer?(options: Options): string | undefined;
  /** Opens the port with these options (its factory). */
  create(options: Options, context: AdapterContext): Promise<Port>;
}

/** An adapter's settings as the generated reference lists them. */
export function settingDocs(descriptor: Pick<AdapterDescriptor, 'settings'>): SettingDoc[] {
  return Object.values(descriptor.settings).map(({ read: _read, ...doc }) => doc);
}

/** Types a descriptor without widening its settings (adapters export `describeAdapter({...})`). */
export function describeAdapter<S extends Settings, Options, Port>(
  descriptor: AdapterDescriptor<S, Options, Port>,
): AdapterDescriptor<S, Options, Port> {
  return descriptor;
}
