import {
  type AdapterSpec,
  type AuthPort,
  type DbPort,
  loadAdapterFactory,
  type OnEvent,
  parseProvidersEnv,
  type StoragePort,
} from '@switchyard/core';
import { bothSidesEnv, type Migration } from './migration.js';

/** A port's two providers, whatever the phase: `from` is where the data was, `to` where it goes. */
export interface Sides<Port> {
  from: Port;
  to: Port;
}

export interface OpenedSides {
  storage?: Sides<StoragePort>;
  auth?: Sides<AuthPort>;
  db?: Sides<DbPort>;
  /** Closes every adapter opened here, each attempted even when one fails. */
  close(): Promise<void>;
}

type Closable = { close(): Promise<void> };
type OpenablePort = 'storage' | 'auth' | 'db';

async function open(spec: AdapterSpec, onEvent: OnEvent | undefined): Promise<Closable> {
  const factory = await loadAdapterFactory<Closable>(spec);
  return factory({ ...spec.options, ...(onEvent ? { onEvent } : {}) });
}

/**
 * Opens both providers of each port asked for, from the same settings createProviders reads (the
 * phase-2 variables built from them), so the command can look at the target before phase 2 and at
 * the source after phase 3. Only the asked ports are opened.
 */
export async function openSides(migration: Migration, ports: readonly OpenablePort[], onEvent?: OnEvent): Promise<OpenedSides> {
  const wanted = ports.filter((p) => migration.ports.includes(p));
  const { plan } = parseProvidersEnv(bothSidesEnv(migration.env, migration.from, migration.to, wanted));
  const specs = wanted.flatMap((port) => [plan[port].primary, plan[port].shadow as AdapterSpec]);
  const results = await Promise.allSettled(specs.map((spec) => open(spec, onEvent)));
  const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const close = async () => {
    await Promise.allSettled(opened.map((port) => port.close()));
  };
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await close();
    throw failure.reason;
  }
  const sides: OpenedSides = { close };
  wanted.forEach((port, index) => {
    const from = (results[index * 2] as PromiseFulfilledResult<Closable>).value;
    const to = (results[index * 2 + 1] as PromiseFulfilledResult<Closable>).value;
    (sides as unknown as Record<string, Sides<Closable>>)[port] = { from, to };
  });
  return sides;
}

/** The settings of one database side (from or to), for the libpq connection string a subscription needs. */
export function dbSpecs(migration: Migration): Sides<AdapterSpec> {
  const { plan } = parseProvidersEnv(bothSidesEnv(migration.env, migration.from, migration.to, ['db']));
  return { from: plan.db.primary, to: plan.db.shadow as AdapterSpec };
}
