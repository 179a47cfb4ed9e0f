import type { CircuitEvent, KeySetEvent, PortName, RepairEvent } from '@switchyard/core';
import { ATTR, CIRCUIT_STATES, KEYSET_STATES } from './names.js';

export interface DualPair {
  port: PortName;
  primary: string;
  shadow: string;
}

export interface CircuitStatus extends DualPair {
  state: (typeof CIRCUIT_STATES)[number];
}

export interface BacklogStatus extends DualPair {
  /** Journal entries waiting, as the last repair run (or journal write) reported. */
  remaining: number;
}

export interface KeySetStatus {
  provider: string;
  state: (typeof KEYSET_STATES)[number];
}

/**
 * The latest state reported for each dual-run pair and auth key set. Events report changes; gauges
 * and snapshots need the current value, so every consumer keeps one of these.
 */
export class LatestState {
  readonly circuits = new Map<string, CircuitStatus>();
  readonly backlogs = new Map<string, BacklogStatus>();
  readonly keysets = new Map<string, KeySetStatus>();

  record(event: CircuitEvent | RepairEvent | KeySetEvent): void {
    switch (event.type) {
      case 'circuit': {
        const { port, primary, shadow, state } = event;
        this.circuits.set(pairKey(event), { port, primary, shadow, state });
        return;
      }
      case 'repair': {
        const { port, primary, shadow, remaining } = event;
        this.backlogs.set(pairKey(event), { port, primary, shadow, remaining });
        return;
      }
      case 'keyset':
        // `recovered` is a transition back to a fresh key set, which is the state to show.
        this.keysets.set(event.provider, { provider: event.provider, state: event.state === 'recovered' ? 'fresh' : event.state });
        return;
    }
  }
}

function pairKey(pair: DualPair): string {
  return `${pair.port}\n${pair.primary}\n${pair.shadow}`;
}

export function pairAttributes(pair: DualPair): Record<string, string> {
  return { [ATTR.port]: pair.port, [ATTR.primary]: pair.primary, [ATTR.shadow]: pair.shadow };
}

/** One value of a state metric. */
export interface Reading {
  attributes: Record<string, string>;
  value: number;
}

/**
 * A reading for every possible state, 1 for the current one and 0 for the others, the way
 * `k8s.container.status.state` is reported: a query for `state = open` then sees 0, not a gap,
 * once the circuit closes.
 */
function* everyState(states: readonly string[], current: string, attributes: Record<string, string>, key: string): Generator<Reading> {
  for (const state of states) yield { attributes: { ...attributes, [key]: state }, value: state === current ? 1 : 0 };
}

export function* circuitReadings(latest: LatestState): Generator<Reading> {
  for (const circuit of latest.circuits.values())
    yield* everyState(CIRCUIT_STATES, circuit.state, pairAttributes(circuit), ATTR.circuitState);
}

export function* keysetReadings(latest: LatestState): Generator<Reading> {
  for (const keyset of latest.keysets.values()) {
    yield* everyState(KEYSET_STATES, keyset.state, { [ATTR.provider]: keyset.provider }, ATTR.keysetState);
  }
}

export function* backlogReadings(latest: LatestState): Generator<Reading> {
  for (const backlog of latest.backlogs.values()) yield { attributes: pairAttributes(backlog), value: backlog.remaining };
}
