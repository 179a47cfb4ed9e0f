import type { PortName } from '../errors.js';

/** A provider `createProviders` can load. */
export type ProviderName = 'local' | 'aws' | 'supabase';

/** Where reads go during dual-run. */
export type ReadMode = 'primary' | 'fallback' | 'compare';

/** Everything needed to load and open one adapter: no I/O has happened yet. */
export interface AdapterSpec {
  port: PortName;
  provider: ProviderName;
  /** The package subpath to `import()`, for example `@switchyard/aws/s3`. */
  module: string;
  /** The factory exported by `module`. */
  factory: string;
  /** What the factory is called with (plus `onEvent`). May hold secrets: never log it. */
  options: Record<string, unknown>;
  /** The `iss` of access tokens this auth adapter issues, for dual-run routing. */
  issuer?: string;
}

/** One port's flags: its primary, an optional shadow, and where reads go. */
export interface PortPlan {
  primary: AdapterSpec;
  shadow?: AdapterSpec | undefined;
  reads: ReadMode;
}

/** The parsed configuration of every port; the result of reading the environment once. */
export interface ProvidersPlan {
  storage: PortPlan;
  auth: PortPlan;
  db: PortPlan;
  pubsub: PortPlan;
  /** Bound on each shadow call in milliseconds. */
  shadowTimeoutMs: number;
  /** `fallback` storage reads that hit the shadow copy the object to the primary. */
  storageCopyForward: boolean;
  /** Share (0–1) of read-only queries mirrored to the shadow database when `SWITCHYARD_DB_READS=compare`. */
  dbCompareSampleRate: number;
}

/** One missing or invalid variable, with what it should look like. */
export interface ConfigProblem {
  variable: string;
  problem: string;
  expected: string;
}

export const PORTS: readonly PortName[] = ['storage', 'auth', 'db', 'pubsub'];
export const PROVIDERS: readonly ProviderName[] = ['local', 'aws', 'supabase'];
export const READ_MODES: readonly ReadMode[] = ['primary', 'fallback', 'compare'];
