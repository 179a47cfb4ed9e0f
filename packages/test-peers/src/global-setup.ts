import type { TestProject } from 'vitest/node';
import { type PeerName, type RunningPeer, startPeer } from './peers.js';

const ALL: readonly PeerName[] = ['supabase-storage', 'ceph-rgw', 'moto'];

/**
 * Vitest global setup of the real-peer tier: starts every peer once, in parallel, and hands their
 * settings to the tests through `inject('peers')`. `SWITCHYARD_PEERS=ceph-rgw,moto` starts fewer
 * while working on one adapter; tests that need a peer not started fail and name it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const names = (process.env.SWITCHYARD_PEERS?.split(',').map((n) => n.trim()) ?? ALL) as PeerName[];
  const unknown = names.filter((n) => !ALL.includes(n));
  if (unknown.length > 0) throw new Error(`SWITCHYARD_PEERS names unknown peers: ${unknown.join(', ')} (known: ${ALL.join(', ')})`);
  const started: RunningPeer[] = [];
  const results = await Promise.allSettled(names.map((name) => startPeer(name)));
  for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
  const stopAll = async () => {
    await Promise.allSettled(started.map((peer) => peer.stop()));
  };
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  project.provide('peers', Object.fromEntries(started.map((peer) => [peer.name, peer.env])));
  return stopAll;
}
