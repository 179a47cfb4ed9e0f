import type { AdapterContext } from '../adapter/descriptor.js';
import { type ExtraKey, Extras } from '../adapter/extras.js';
import type { AuthPort } from '../auth/port.js';
import type { DbPort } from '../db/port.js';
import type { RepairJournal } from '../dual/journal.js';
import type { RepairResult } from '../dual/repair-storage.js';
import { closeBoth } from '../dual/shadow.js';
import { type PortName, SwitchyardError } from '../errors.js';
import type { OnEvent } from '../events.js';
import type { PubSubPort } from '../pubsub/port.js';
import { printsAs } from '../redact.js';
import type { StoragePort } from '../storage/port.js';
import { composePorts, type OpenedSides } from './compose.js';
import { type PlannedAdapter, type PlanOptions, type ProvidersPlan, planProviders } from './plan.js';
import type { Env } from './variables.js';

export interface CreateProvidersOptions extends PlanOptions {
  /** Where the flags and adapter settings are read from, once. Default `process.env`. */
  env?: Env;
  /** Receives every adapter's operation events and dual-run divergences. */
  onEvent?: OnEvent;
  /** Overrides `SWITCHYARD_SHADOW_TIMEOUT_MS`: the longest wait for any one shadow call. */
  shadowTimeoutMs?: number;
  /**
   * Where dual-run storage keeps keys to repair. Default in memory; pass a function to build one on
   * the opened database, e.g. `({ db }) => new DbJournal(db)`, so repairs survive restarts.
   */
  journal?: RepairJournal | ((ports: { db: DbPort }) => RepairJournal);
}

/** The ports as the environment selected them. */
export interface Providers {
  storage: StoragePort;
  auth: AuthPort;
  db: DbPort;
  pubsub: PubSubPort;
  /** What was read from the environment; settings that are secrets show as `[redacted]`. */
  readonly plan: ProvidersPlan;
  /**
   * What an adapter offers beside its port (e.g. `localStorageHandler` from `@switchyard/local`),
   * or undefined when the selected adapter does not offer it.
   */
  extra<T>(key: ExtraKey<T>): T | undefined;
  /** Replays the storage repair journal once when storage runs dual; otherwise does nothing. */
  repair(): Promise<RepairResult>;
  /** Closes every port and connection opened here; every one is attempted even when one fails. */
  close(): Promise<void>;
}

type Closable = { close(): Promise<void> };

async function openAll(plan: ProvidersPlan, context: AdapterContext): Promise<OpenedSides> {
  const planned: [PortName, 'primary' | 'shadow', PlannedAdapter][] = [];
  for (const [port, portPlan] of Object.entries(plan.ports) as [PortName, NonNullable<ProvidersPlan['ports'][PortName]>][]) {
    planned.push([port, 'primary', portPlan.primary]);
    if (portPlan.shadow) planned.push([port, 'shadow', portPlan.shadow]);
  }
  const results = await Promise.allSettled(
    planned.map(([, , adapter]) => adapter.descriptor.create(adapter.options, context) as Promise<Closable>),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  if (failures.length > 0) {
    // Whatever did open must not be left holding sockets or file handles.
    await Promise.allSettled(results.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    throw openingError(failures);
  }
  const opened: Partial<Record<PortName, Partial<Record<'primary' | 'shadow', Closable>>>> = {};
  planned.forEach(([port, side], index) => {
    const sides = opened[port] ?? {};
    sides[side] = (results[index] as PromiseFulfilledResult<Closable>).value;
    opened[port] = sides;
  });
  // Each descriptor opened the port it declares.
  return opened as OpenedSides;
}

/**
 * Several adapters refusing for configuration reasons (a package missing here, a key there) are
 * one CONFIG error naming each, so a deploy is fixed in one round; anything else is thrown as is.
 */
function openingError(failures: unknown[]): unknown {
  const config = failures.filter((f): f is SwitchyardError => SwitchyardError.hasCode(f, 'CONFIG'));
  if (failures.length < 2 || config.length !== failures.length) return failures[0];
  return new SwitchyardError({
    code: 'CONFIG',
    operation: 'createProviders',
    message: `${config.length} adapters could not open:\n${config.map((e) => `- ${e.port ?? 'adapter'} (${e.provider ?? '?'}): ${e.message}`).join('\n')}`,
    details: { failures: config.map((e) => e.toJSON()) },
    cause: config[0],
  });
}

function notOpened(port: PortName, ports: readonly PortName[]): never {
  throw new SwitchyardError({
    code: 'CONFIG',
    port,
    operation: 'createProviders',
    message: `The ${port} port was not opened: createProviders({ ports }) asked only for ${ports.join(', ')}; add '${port}' to use it.`,
  });
}

/**
 * Reads the Switchyard flags once, loads the descriptor of each selected adapter (built-in, a
 * package name or a module path), lets each read its own settings, opens the ports, and returns
 * them — dual-run composites where a `_SHADOW` is set. A bad or incomplete configuration, or a
 * missing package, throws one CONFIG error listing every problem of every adapter.
 */
export async function createProviders(options: CreateProvidersOptions = {}): Promise<Providers> {
  const plan = await planProviders(options.env ?? process.env, options);
  const extras = new Extras();
  const opened = await openAll(plan, { onEvent: options.onEvent, provide: (key, value) => extras.provide(key, value) });
  const ports = await composePorts(plan, opened, {
    onEvent: options.onEvent,
    shadowTimeoutMs: options.shadowTimeoutMs ?? plan.shadowTimeoutMs,
    journal: options.journal,
  });
  const asked = Object.keys(plan.ports) as PortName[];
  const port = <P>(name: PortName): P => (ports.get(name) as P | undefined) ?? notOpened(name, asked);
  const providers: Providers = {
    get storage() {
      return port<StoragePort>('storage');
    },
    get auth() {
      return port<AuthPort>('auth');
    },
    get db() {
      return port<DbPort>('db');
    },
    get pubsub() {
      return port<PubSubPort>('pubsub');
    },
    plan,
    extra: (key) => extras.get(key),
    repair: () => ports.repair(),
    // Composites close their own sides, and wait for their background comparisons first.
    close: () => closeBoth(ports.values().map((p) => () => p.close())),
  };
  // Its ports hold keys and passwords: printing it shows only which adapter serves what.
  return printsAs(providers, () => Object.fromEntries(ports.entries().map(([name, p]) => [name, p.provider])));
}
