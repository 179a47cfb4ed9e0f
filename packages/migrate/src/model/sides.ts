import { type AuthPort, type DbPort, type OnEvent, type PlannedAdapter, planProviders, type StoragePort } from '@switchyard/core';
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

function open(adapter: PlannedAdapter, onEvent: OnEvent | undefined): Promise<Closable> {
  // The command needs only the ports: what adapters offer beside them is not used here.
  return adapter.descriptor.create(adapter.options, { onEvent, provide: () => undefined }) as Promise<Closable>;
}

/** Both sides of `ports` as createProviders would plan them in phase 2 (`from` primary, `to` shadow). */
async function planSides(migration: Migration, ports: readonly OpenablePort[]): Promise<Sides<PlannedAdapter>[]> {
  const plan = await planProviders(bothSidesEnv(migration.env, migration.from, migration.to, ports), { ports });
  return ports.map((port) => {
    const portPlan = plan.ports[port];
    if (!portPlan?.shadow) throw new Error(`planProviders left out the ${port} shadow that bothSidesEnv sets`);
    return { from: portPlan.primary, to: portPlan.shadow };
  });
}

/**
 * Opens both providers of each port asked for, from the same settings createProviders reads (the
 * phase-2 variables built from them), so the command can look at the target before phase 2 and at
 * the source after phase 3. Only the asked ports are opened.
 */
export async function openSides(migration: Migration, ports: readonly OpenablePort[], onEvent?: OnEvent): Promise<OpenedSides> {
  const wanted = ports.filter((p) => migration.ports.includes(p));
  const planned = (await planSides(migration, wanted)).flatMap((sides) => [sides.from, sides.to]);
  const results = await Promise.allSettled(planned.map((adapter) => open(adapter, onEvent)));
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
export async function dbSides(migration: Migration): Promise<Sides<PlannedAdapter>> {
  const [sides] = await planSides(migration, ['db']);
  return sides as Sides<PlannedAdapter>;
}
