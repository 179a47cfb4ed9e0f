import type { AuthPort } from '../auth/port.js';
import type { DbPort } from '../db/port.js';
import { DualAuth } from '../dual/dual-auth.js';
import { DualDb } from '../dual/dual-db.js';
import { DualPubSub } from '../dual/dual-pubsub.js';
import { DualStorage } from '../dual/dual-storage.js';
import type { RepairJournal } from '../dual/journal.js';
import type { RepairResult } from '../dual/repair-storage.js';
import { closeBoth } from '../dual/shadow.js';
import { type PortName, SwitchyardError } from '../errors.js';
import type { OnEvent } from '../events.js';
import type { PubSubPort } from '../pubsub/port.js';
import type { StoragePort } from '../storage/port.js';
import type { ProvidersPlan } from './plan.js';

interface Sides<P> {
  primary: P;
  shadow?: P;
}

/** What each planned adapter opened as, by port and side. */
export interface OpenedSides {
  storage?: Sides<StoragePort>;
  auth?: Sides<AuthPort>;
  db?: Sides<DbPort>;
  pubsub?: Sides<PubSubPort>;
}

type AnyPort = StoragePort | AuthPort | DbPort | PubSubPort;

export interface ComposedPorts {
  get(port: PortName): AnyPort | undefined;
  values(): AnyPort[];
  entries(): [PortName, AnyPort][];
  repair(): Promise<RepairResult>;
}

export interface ComposeOptions {
  onEvent: OnEvent | undefined;
  shadowTimeoutMs: number;
  journal: RepairJournal | ((ports: { db: DbPort }) => RepairJournal) | undefined;
}

function issuer(plan: ProvidersPlan, side: 'primary' | 'shadow'): string {
  const adapter = plan.ports.auth?.[side];
  if (adapter?.issuer === undefined) {
    throw new SwitchyardError({
      code: 'CONFIG',
      port: 'auth',
      operation: 'createProviders',
      message: `The ${side} auth adapter (${adapter?.name ?? 'none'}) declares no token issuer, which dual-run auth routes tokens by; give its descriptor an issuer().`,
    });
  }
  return adapter.issuer;
}

/** The ports an app uses: each opened adapter, or a dual-run composite of its two sides. */
export async function composePorts(plan: ProvidersPlan, opened: OpenedSides, options: ComposeOptions): Promise<ComposedPorts> {
  const { onEvent, shadowTimeoutMs } = options;
  const ports = new Map<PortName, AnyPort>();
  try {
    const db = opened.db;
    if (db) {
      ports.set(
        'db',
        db.shadow
          ? new DualDb({
              primary: db.primary,
              shadow: db.shadow,
              reads: plan.ports.db?.reads ?? 'primary',
              sampleRate: plan.dbCompareSampleRate,
              shadowTimeoutMs,
              onEvent,
            })
          : db.primary,
      );
    }
    const storage = opened.storage;
    if (storage) {
      if (storage.shadow) {
        const dbPort = ports.get('db') as DbPort | undefined;
        const journal = typeof options.journal === 'function' ? (dbPort ? options.journal({ db: dbPort }) : undefined) : options.journal;
        if (typeof options.journal === 'function' && !dbPort) {
          throw new SwitchyardError({
            code: 'CONFIG',
            port: 'storage',
            operation: 'createProviders',
            message: 'The repair journal is built on the database, which was not asked for: add db to createProviders({ ports }).',
          });
        }
        // Given the DualDb when the database migrates too, so repairs journaled at either side are seen.
        await journal?.install?.();
        ports.set(
          'storage',
          new DualStorage({
            primary: storage.primary,
            shadow: storage.shadow,
            reads: plan.ports.storage?.reads ?? 'primary',
            copyForward: plan.storageCopyForward,
            shadowTimeoutMs,
            onEvent,
            ...(journal ? { journal } : {}),
          }),
        );
      } else {
        ports.set('storage', storage.primary);
      }
    }
    const auth = opened.auth;
    if (auth) {
      ports.set(
        'auth',
        auth.shadow
          ? new DualAuth({
              primary: auth.primary,
              shadow: auth.shadow,
              issuers: { primary: issuer(plan, 'primary'), shadow: issuer(plan, 'shadow') },
              reads: plan.ports.auth?.reads ?? 'primary',
              shadowTimeoutMs,
              onEvent,
            })
          : auth.primary,
      );
    }
    const pubsub = opened.pubsub;
    if (pubsub) {
      ports.set(
        'pubsub',
        pubsub.shadow ? new DualPubSub({ primary: pubsub.primary, shadow: pubsub.shadow, shadowTimeoutMs, onEvent }) : pubsub.primary,
      );
    }
  } catch (error) {
    // Nothing composed yet owns the opened sides: close every one.
    const sides = Object.values(opened).flatMap((s: Sides<AnyPort>) => [s.primary, s.shadow]);
    await closeBoth(sides.filter((p) => p !== undefined).map((p) => () => p.close())).catch(() => undefined);
    throw error;
  }
  return {
    get: (port) => ports.get(port),
    values: () => [...ports.values()],
    entries: () => [...ports.entries()],
    repair: async () => {
      const storage = ports.get('storage');
      return storage instanceof DualStorage ? storage.repair() : { repaired: 0, remaining: 0 };
    },
  };
}
