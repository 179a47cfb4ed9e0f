import { DEFAULT_SHADOW_TIMEOUT_MS } from '../dual/shadow.js';
import type { PortName } from '../errors.js';
import type { ReadMode } from './config.js';
import { adapterName } from './resolve-adapter.js';
import type { EnvReader } from './variables.js';

export const PORTS: readonly PortName[] = ['storage', 'auth', 'db', 'pubsub'];

/** Default share of read-only queries mirrored in `compare` mode. */
export const DEFAULT_DB_COMPARE_SAMPLE_RATE = 0.1;

/**
 * The read modes each port's composite implements: a mode a port does not have is a CONFIG error,
 * not a silent `primary` (Db mirrors reads only to compare; PubSub has no reads to route).
 */
export const READS_BY_PORT: Readonly<Record<PortName, readonly ReadMode[]>> = {
  storage: ['primary', 'fallback', 'compare'],
  auth: ['primary', 'fallback', 'compare'],
  db: ['primary', 'compare'],
  pubsub: ['primary'],
};

/** What the flags say about one port: adapter names, not yet loaded. */
export interface PortFlags {
  primary: string;
  shadow?: string | undefined;
  reads: ReadMode;
}

export interface Flags {
  ports: Partial<Record<PortName, PortFlags>>;
  shadowTimeoutMs: number;
  storageCopyForward: boolean;
  dbCompareSampleRate: number;
}

const GLOBAL_FLAGS = ['SWITCHYARD_SHADOW_TIMEOUT_MS', 'SWITCHYARD_STORAGE_COPY_FORWARD', 'SWITCHYARD_DB_COMPARE_SAMPLE'];

/** Every flag `createProviders` reads itself; adapters read the rest of their settings. */
export const SWITCHYARD_FLAGS: readonly string[] = [
  ...PORTS.flatMap((port) => {
    const name = `SWITCHYARD_${port.toUpperCase()}`;
    return [name, `${name}_SHADOW`, `${name}_READS`];
  }),
  ...GLOBAL_FLAGS,
];

function portFlags(port: PortName, env: EnvReader): PortFlags {
  const name = `SWITCHYARD_${port.toUpperCase()}`;
  const primary = adapterName(env.optional(name) ?? 'local');
  const shadowValue = env.optional(`${name}_SHADOW`);
  const shadow = shadowValue === undefined ? undefined : adapterName(shadowValue);
  const modes = READS_BY_PORT[port];
  const reads = env.oneOf(`${name}_READS`, modes, 'primary');
  if (shadow !== undefined && shadow === primary) {
    env.report(`${name}_SHADOW`, `is the same adapter as ${name} (${primary})`, 'a different adapter than the primary, or unset');
  }
  if (shadow === undefined && reads !== 'primary') {
    env.report(
      `${name}_READS`,
      `is "${reads}" but ${name}_SHADOW is not set`,
      `primary, or set ${name}_SHADOW to the adapter to read from`,
    );
  }
  const dual = shadow !== undefined && shadow !== primary;
  return { primary, shadow: dual ? shadow : undefined, reads: dual ? reads : 'primary' };
}

/** Reads the `SWITCHYARD_*` flags of `ports`, reporting every problem to `env`. */
export function readFlags(env: EnvReader, ports: readonly PortName[] = PORTS): Flags {
  return {
    ports: Object.fromEntries(ports.map((port) => [port, portFlags(port, env)])),
    shadowTimeoutMs: env.number(
      'SWITCHYARD_SHADOW_TIMEOUT_MS',
      DEFAULT_SHADOW_TIMEOUT_MS,
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of milliseconds, e.g. 2000',
    ),
    storageCopyForward: env.boolean('SWITCHYARD_STORAGE_COPY_FORWARD', false),
    dbCompareSampleRate: env.number(
      'SWITCHYARD_DB_COMPARE_SAMPLE',
      DEFAULT_DB_COMPARE_SAMPLE_RATE,
      (n) => n >= 0 && n <= 1,
      'a share from 0 to 1, e.g. 0.1 for one read in ten',
    ),
  };
}
