import type { CircuitEvent, KeySetEvent, PortName, RepairEvent } from '@switchyard/core';
import type { CIRCUIT_STATES, KEYSET_STATES } from './names.js';

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
