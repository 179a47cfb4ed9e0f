import { DualPubSub, DualStorage, InMemoryJournal } from '@switchyard/core';
import type { SwitchyardEvent } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './memory-ports.js';
import { RecordingBroker } from './recording-broker.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pubsub(openMs = 40) {
  const primary = new RecordingBroker('primary');
  const shadow = new RecordingBroker('shadow');
  const events: SwitchyardEvent[] = [];
  const dual = new DualPubSub({
    primary,
    shadow,
    shadowTimeoutMs: 50,
    shadowCircuit: { failureThreshold: 3, openMs, maxOpenMs: 4 * openMs },
    onEvent: (e) => events.push(e),
  });
  const circuit = () => events.flatMap((e) => (e.type === 'circuit' ? [e.state] : []));
  const divergences = () => events.filter((e) => e.type === 'divergence');
  return { primary, shadow, dual, events, circuit, divergences };
}

describe('the shadow circuit breaker', () => {
  it('stops calling a silent shadow after three timeouts, and says so once', async () => {
    const { shadow, dual, circuit, divergences, events } = pubsub(60_000);
    shadow.answer = 'never';
    for (let i = 0; i < 3; i++) await dual.publish('room', i);
    expect(shadow.published).toHaveLength(3);
    for (let i = 0; i < 50; i++) await dual.publish('room', `skipped ${i}`);
    expect(shadow.published, 'publishes while open must not reach the shadow').toHaveLength(3);
    expect(circuit()).toEqual(['open']);
    expect(divergences()).toHaveLength(3);
    const open = events.find((e) => e.type === 'circuit');
    expect(open).toMatchObject({ port: 'pubsub', primary: 'primary', shadow: 'shadow', failures: 3, retryInMs: 60_000 });
    expect(open?.type === 'circuit' && open.error?.code).toBe('UNAVAILABLE');
  });

  it('probes with one call after the wait and closes when the shadow answers again', async () => {
    const { shadow, dual, circuit } = pubsub();
    shadow.answer = 'fail';
    for (let i = 0; i < 3; i++) await dual.publish('room', i);
    shadow.answer = 'ok';
    await dual.publish('room', 'while open');
    expect(shadow.published).toHaveLength(3);
    await sleep(60);
    await dual.publish('room', 'probe');
    expect(shadow.published.at(-1)).toMatchObject({ channel: 'room' });
    expect(shadow.published).toHaveLength(4);
    await dual.publish('room', 'closed again');
    expect(shadow.published).toHaveLength(5);
    expect(circuit()).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again after a failed probe, waiting twice as long', async () => {
    const { shadow, dual, events } = pubsub();
    shadow.answer = 'fail';
    for (let i = 0; i < 3; i++) await dual.publish('room', i);
    await sleep(60);
    await dual.publish('room', 'probe fails');
    const opened = events.flatMap((e) => (e.type === 'circuit' && e.state === 'open' ? [e.retryInMs] : []));
    expect(opened).toEqual([40, 80]);
    expect(shadow.published).toHaveLength(4);
  });

  it('lets one probe through at a time while half-open', async () => {
    const { shadow, dual } = pubsub();
    shadow.answer = 'fail';
    for (let i = 0; i < 3; i++) await dual.publish('room', i);
    await sleep(60);
    shadow.answer = 'ok';
    shadow.hold = true;
    const probe = dual.publish('room', 'probe');
    await Promise.all(Array.from({ length: 10 }, (_, i) => dual.publish('room', `during probe ${i}`)));
    expect(shadow.published).toHaveLength(4);
    shadow.release();
    await probe;
  });

  it('journals the writes a skipped storage shadow missed, so repair brings it level', async () => {
    const primary = new MemoryStorage('primary');
    const shadow = new MemoryStorage('shadow');
    const journal = new InMemoryJournal();
    const dual = new DualStorage({ primary, shadow, journal, shadowTimeoutMs: 50, shadowCircuit: { failureThreshold: 2, openMs: 40 } });
    for (let i = 0; i < 2; i++) {
      shadow.failPut.add(`k${i}`);
      await dual.put(`k${i}`, `v${i}`);
    }
    for (let i = 2; i < 10; i++) await dual.put(`k${i}`, `v${i}`);
    expect(shadow.puts, 'the open circuit skipped the shadow').toEqual([]);
    expect((await journal.pending('storage', 100)).map((e) => e.key).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`).sort());
    await sleep(60);
    expect(await dual.repair()).toEqual({ repaired: 10, remaining: 0 });
    expect([...shadow.objects.keys()].sort()).toEqual([...primary.objects.keys()].sort());
  });
});
