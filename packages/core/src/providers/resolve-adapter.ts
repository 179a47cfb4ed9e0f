import type { AdapterDescriptor } from '../adapter/descriptor.js';
import { isModuleNotFound } from '../adapter/load-peer.js';
import type { PortName } from '../errors.js';
import type { ConfigProblem } from './config.js';
import { didYouMean } from './suggest.js';

/** What a module that provides adapters exports: `adapters` by port, or one `adapter`. */
export interface AdapterModule {
  adapters?: Partial<Record<PortName, AdapterDescriptor>>;
  adapter?: AdapterDescriptor;
  default?: AdapterModule | AdapterDescriptor;
}

/** The built-in names; anything else is a package name or a module path. */
const BUILT_IN: Readonly<Record<string, string>> = {
  local: '@switchyard/local/adapters',
  aws: '@switchyard/aws/adapters',
  supabase: '@switchyard/supabase/adapters',
};

/** The built-in names, whatever their case (`AWS` is `aws`); anything else as given. */
export function adapterName(value: string): string {
  const lower = value.toLowerCase();
  return BUILT_IN[lower] ? lower : value;
}

/** The module `SWITCHYARD_<PORT>=<name>` points at. */
export function moduleOf(name: string): string {
  const builtIn = BUILT_IN[name];
  if (builtIn) return builtIn;
  if (name.startsWith('.') || name.startsWith('/')) {
    // Relative to where the app runs, as a shell user means it; a URL so import() takes any path.
    const cwd = typeof process === 'undefined' ? '/' : `${process.cwd()}/`;
    return new URL(name, `file://${cwd}`).href;
  }
  return name;
}

function packageOf(specifier: string): string {
  if (specifier.startsWith('file:')) return specifier;
  const [scope, name] = specifier.split('/');
  return specifier.startsWith('@') ? `${scope}/${name}` : (scope ?? specifier);
}

function pick(module: AdapterModule | AdapterDescriptor | undefined, port: PortName): AdapterDescriptor | undefined {
  if (!module) return undefined;
  if ('port' in module && 'create' in module)
    return (module as AdapterDescriptor).port === port ? (module as AdapterDescriptor) : undefined;
  const m = module as AdapterModule;
  // A descriptor filed under another port's name would open the wrong kind of port.
  const byPort = m.adapters?.[port]?.port === port ? m.adapters[port] : undefined;
  return byPort ?? (m.adapter?.port === port ? m.adapter : undefined) ?? pick(m.default, port);
}

// A variable specifier keeps bundlers from pulling every adapter into the app: only the adapters
// the environment selects are loaded. Apps that bundle pass `adapters` to createProviders instead.
const importModule = (specifier: string): Promise<AdapterModule> => import(specifier);

/**
 * The descriptor for `port` that `name` selects, or the problem that stops it: not installed (with
 * the npm command), or a module without an adapter for this port.
 */
export async function loadDescriptor(
  port: PortName,
  name: string,
  variable: string,
  given: Readonly<Record<string, AdapterModule>> | undefined,
): Promise<AdapterDescriptor | ConfigProblem> {
  const specifier = moduleOf(name);
  let module: AdapterModule | undefined = given?.[name] ?? given?.[specifier];
  if (!module) {
    try {
      module = await importModule(specifier);
    } catch (error) {
      if (!isModuleNotFound(error)) throw error;
      const known = BUILT_IN[name] !== undefined;
      // A bare name close to a built-in one is a typo, not a package to install.
      const typo = known || name.includes('/') || name.startsWith('.') ? undefined : didYouMean(name, Object.keys(BUILT_IN));
      if (typo) {
        return {
          variable,
          problem: `is "${name}", which is neither a built-in adapter nor an installed package (did you mean ${typo}?)`,
          expected: `one of ${Object.keys(BUILT_IN).join(', ')}, or the package name or path of an adapter module`,
        };
      }
      return {
        variable,
        problem: `selects ${name}, which is not installed (${specifier} could not be loaded)`,
        expected:
          known || !specifier.startsWith('file:') ? `npm install ${packageOf(specifier)}` : 'the path of a module that exports an adapter',
      };
    }
  }
  const descriptor = pick(module, port);
  if (!descriptor) {
    return {
      variable,
      problem: `selects ${name}, whose module exports no ${port} adapter`,
      expected: `a module exporting \`adapters.${port}\` or \`adapter\` (an AdapterDescriptor for ${port}); see @switchyard/core/adapter`,
    };
  }
  return descriptor;
}
