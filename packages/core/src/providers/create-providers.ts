import type { AuthPort } from '../auth/port.js';
import type { DbPort } from '../db/port.js';
import { DualAuth } from '../dual/dual-auth.js';
import { DualDb } from '../dual/dual-db.js';
import { DualPubSub } from '../dual/dual-pubsub.js';
import { DualStorage } from '../dual/dual-storage.js';
import type { RepairJournal } from '../dual/journal.js';
import type { RepairResult } from '../dual/repair-storage.js';
import { closeBoth } from '../dual/shadow.js';
import { SwitchyardError } from '../errors.js';
import type { OnEvent } from '../events.js';
import type { PubSubPort } from '../pubsub/port.js';
import { printsAs } from '../redact.js';
import type { StoragePort } from '../storage/port.js';
import type { AdapterSpec, PortPlan, ProvidersPlan } from './config.js';
import { openAdapter } from './load-adapter.js';
import { readProvidersPlan } from './parse-env.js';
import { printablePlan } from './printable-plan.js';
import type { Env } from './variables.js';

export interface CreateProvidersOptions {
  /** Where the flags and provider settings are read from, once. Default `process.env`. */
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

/** The four ports as the environment selected them. */
export interface Providers {
  storage: StoragePort;
  auth: AuthPort;
  db: DbPort;
  pubsub: PubSubPort;
  /** What was read from the environment. It holds settings and secrets; printing it shows them redacted. */
  readonly plan: ProvidersPlan;
  /** Replays the storage repair journal once when storage runs dual; otherwise does nothing. */
  repair(): Promise<RepairResult>;
  /** Closes every port and connection opened here; every one is attempted even when one fails. */
  close(): Promise<void>;
}

interface Opened {
  storage: [StoragePort, StoragePort?];
  auth: [AuthPort, AuthPort?];
  db: [DbPort, DbPort?];
  pubsub: [PubSubPort, PubSubPort?];
}

type ClosablePort = { close(): Promise<void> };

async function openAll(plan: ProvidersPlan, onEvent: OnEvent | undefined): Promise<Opened> {
  const specs: [keyof Opened, 0 | 1, AdapterSpec][] = [];
  for (const port of ['storage', 'auth', 'db', 'pubsub'] as const) {
    const portPlan: PortPlan = plan[port];
    specs.push([port, 0, portPlan.primary]);
    if (portPlan.shadow) specs.push([port, 1, portPlan.shadow]);
  }
  const results = await Promise.allSettled(specs.map(([, , spec]) => openAdapter<ClosablePort>(spec, onEvent)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    // Whatever did open must not be left holding sockets or file handles.
    await Promise.allSettled(results.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
    throw failure.reason;
  }
  const opened = { storage: [], auth: [], db: [], pubsub: [] } as unknown as Record<keyof Opened, ClosablePort[]>;
  specs.forEach(([port, side], index) => {
    opened[port][side] = (results[index] as PromiseFulfilledResult<ClosablePort>).value;
  });
  return opened as unknown as Opened;
}

function issuer(plan: PortPlan, side: 'primary' | 'shadow'): string {
  const value = plan[side]?.issuer;
  if (value === undefined) {
    throw new SwitchyardError({
      code: 'CONFIG',
      port: 'auth',
      operation: 'createProviders',
      message: `The ${side} auth provider has no known token issuer.`,
    });
  }
  return value;
}

/**
 * Reads the Switchyard flags and provider settings once, loads only the selected adapter packages
 * (dynamic `import()`), and returns the four ports — dual-run composites where a `_SHADOW` is set.
 * A bad or incomplete configuration throws one CONFIG error listing every problem.
 */
export async function createProviders(options: CreateProvidersOptions = {}): Promise<Providers> {
  const plan = readProvidersPlan(options.env ?? process.env);
  const { onEvent } = options;
  const shadowTimeoutMs = options.shadowTimeoutMs ?? plan.shadowTimeoutMs;
  const opened = await openAll(plan, onEvent);
  const [storagePrimary, storageShadow] = opened.storage;
  const [authPrimary, authShadow] = opened.auth;
  const [db, dbShadow] = opened.db;
  const [pubsubPrimary, pubsubShadow] = opened.pubsub;
  const closeOpened = () =>
    closeBoth(
      Object.values(opened).flatMap((sides: (ClosablePort | undefined)[]) =>
        sides.filter((p) => p !== undefined).map((p) => () => p.close()),
      ),
    );

  const dbPort = dbShadow
    ? new DualDb({ primary: db, shadow: dbShadow, reads: plan.db.reads, sampleRate: plan.dbCompareSampleRate, shadowTimeoutMs, onEvent })
    : db;
  let storage: StoragePort = storagePrimary;
  let auth: AuthPort = authPrimary;
  try {
    if (storageShadow) {
      // Given the DualDb when the database migrates too, so repairs journaled at either side are seen.
      const journal = typeof options.journal === 'function' ? options.journal({ db: dbPort }) : options.journal;
      await journal?.install?.();
      storage = new DualStorage({
        primary: storagePrimary,
        shadow: storageShadow,
        reads: plan.storage.reads,
        copyForward: plan.storageCopyForward,
        shadowTimeoutMs,
        onEvent,
        ...(journal ? { journal } : {}),
      });
    }
    if (authShadow) {
      auth = new DualAuth({
        primary: authPrimary,
        shadow: authShadow,
        issuers: { primary: issuer(plan.auth, 'primary'), shadow: issuer(plan.auth, 'shadow') },
        reads: plan.auth.reads,
        shadowTimeoutMs,
        onEvent,
      });
    }
  } catch (error) {
    await closeOpened().catch(() => undefined);
    throw error;
  }
  const ports = {
    storage,
    auth,
    db: dbPort,
    pubsub: pubsubShadow ? new DualPubSub({ primary: pubsubPrimary, shadow: pubsubShadow, shadowTimeoutMs, onEvent }) : pubsubPrimary,
  };
  const providers: Providers = {
    ...ports,
    plan: printablePlan(plan),
    repair: async () => (storage instanceof DualStorage ? storage.repair() : { repaired: 0, remaining: 0 }),
    // Composites close their own sides, and wait for their background comparisons first.
    close: () => closeBoth([ports.storage, ports.auth, ports.db, ports.pubsub].map((port) => () => port.close())),
  };
  // Its plan and ports hold keys and passwords: printing it shows only which provider serves what.
  return printsAs(providers, () => ({
    storage: ports.storage.provider,
    auth: ports.auth.provider,
    db: ports.db.provider,
    pubsub: ports.pubsub.provider,
  }));
}
