import { inject } from 'vitest';
import type { PeerName } from './peers.js';

// Here, not in peers.ts, so that peers.ts loads (and type-checks) without vitest, as the bench uses it.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The settings each started peer printed, by peer name (see global-setup). */
    peers: Partial<Record<PeerName, Record<string, string>>>;
  }
}

export { type FaultMode, FaultProxy } from './fault-proxy.js';
export { freePort, type PeerName, peersDir, type RunningPeer, startPeer } from './peers.js';

/** The client settings of a peer the tier's global setup started; throws when it was not started. */
export function peerEnv(name: PeerName): Record<string, string> {
  const env = inject('peers')?.[name];
  if (!env) {
    throw new Error(
      `The ${name} peer was not started: run this file through npm run test:peers (and include ${name} in SWITCHYARD_PEERS if you set it).`,
    );
  }
  return env;
}
