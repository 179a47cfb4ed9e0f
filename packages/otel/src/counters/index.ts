import type { OnEvent, PortName, SwitchyardEvent } from '@switchyard/core';
import { divergenceKind } from '../kind.js';
import type { CIRCUIT_STATES, KEYSET_STATES } from '../names.js';
import { LatestState } from '../state.js';

/** Calls one provider served. */
export interface ProviderCounters {
  calls: number;
  errors: number;
}

/** One port method since the counters were created. */
export interface OperationCounters {
  /** Calls the application made; a dual-run call counts once however many sides it reached. */
  calls: number;
  /** Those that threw. */
  errors: number;
  /** Dual-run divergences reported for this operation (every kind, shadow failures included). */
  divergences: number;
  /** Shadow calls that failed or timed out. */
  shadowFailures: number;
  /** Calls each provider actually served, dual-run side calls included. */
  providers: Record<string, ProviderCounters>;
}

export interface PortCounters {
  /** Keyed by method, e.g. `put`, `admin.createUser`. */
  operations: Record<string, OperationCounters>;
  /** Dual-run only: the shadow circuit breaker as last reported. */
  circuit?: { primary: string; shadow: string; state: (typeof CIRCUIT_STATES)[number] };
  /** Dual-run storage only: repair journal entries waiting, as the last repair run reported. */
  journalBacklog?: number;
}

/** Plain JSON: serve it at `/metrics` or print it in a CLI. */
export interface CountersSnapshot {
  /** ISO time the snapshot was taken. */
  takenAt: string;
  ports: Partial<Record<PortName, PortCounters>>;
  /** Auth token-signing key sets, by provider, as last reported. */
  keysets: Record<string, (typeof KEYSET_STATES)[number]>;
}

export interface SwitchyardCounters {
  /** Pass to `createProviders({ onEvent })` (alone or next to other hooks). */
  readonly onEvent: OnEvent;
  snapshot(): CountersSnapshot;
}

/** In-process counters of calls, errors, divergences and shadow failures per port and operation. */
export function createCounters(): SwitchyardCounters {
  const ports = new Map<PortName, Map<string, OperationCounters>>();
  const latest = new LatestState();

  const counters = (port: PortName, operation: string): OperationCounters => {
    let operations = ports.get(port);
    if (!operations) {
      operations = new Map();
      ports.set(port, operations);
    }
    let found = operations.get(operation);
    if (!found) {
      found = { calls: 0, errors: 0, divergences: 0, shadowFailures: 0, providers: {} };
      operations.set(operation, found);
    }
    return found;
  };

  const onEvent = (event: SwitchyardEvent): void => {
    switch (event.type) {
      case 'operation': {
        const found = counters(event.port, event.operation);
        const failed = event.error ? 1 : 0;
        const role = event.dual?.role;
        if (role === undefined || role === 'composite') {
          found.calls += 1;
          found.errors += failed;
        }
        if (role !== 'composite') {
          found.providers[event.provider] ??= { calls: 0, errors: 0 };
          const provider = found.providers[event.provider]!;
          provider.calls += 1;
          provider.errors += failed;
        }
        return;
      }
      case 'divergence': {
        const found = counters(event.port, event.operation);
        found.divergences += 1;
        if (divergenceKind(event) === 'shadow-failure') found.shadowFailures += 1;
        return;
      }
      default:
        latest.record(event);
    }
  };

  const snapshot = (): CountersSnapshot => {
    const result: CountersSnapshot = { takenAt: new Date().toISOString(), ports: {}, keysets: {} };
    const port = (name: PortName): PortCounters => {
      result.ports[name] ??= { operations: {} };
      return result.ports[name]!;
    };
    for (const [name, operations] of ports) {
      const into = port(name).operations;
      for (const [operation, found] of operations) into[operation] = structuredClone(found);
    }
    for (const { port: name, primary, shadow, state } of latest.circuits.values()) port(name).circuit = { primary, shadow, state };
    for (const { port: name, remaining } of latest.backlogs.values()) port(name).journalBacklog = remaining;
    for (const { provider, state } of latest.keysets.values()) result.keysets[provider] = state;
    return result;
  };

  return { onEvent, snapshot };
}

export { formatCounters } from './format.js';
