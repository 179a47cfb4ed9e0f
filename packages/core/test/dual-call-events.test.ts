import { DualPubSub } from '@switchyard/core';
import { type OperationEvent, observe, type SwitchyardEvent } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { RecordingBroker } from './recording-broker.js';

describe('dual-run call events', () => {
  it('link the composite call to the side calls it made, for parent and child spans', async () => {
    const events: SwitchyardEvent[] = [];
    const onEvent = (e: SwitchyardEvent) => events.push(e);
    const primary = observe(new RecordingBroker('redis'), { port: 'pubsub', provider: 'redis', onEvent });
    const shadow = observe(new RecordingBroker('realtime'), { port: 'pubsub', provider: 'realtime', onEvent });
    const dual = new DualPubSub({ primary, shadow, onEvent });
    await dual.publish('room', { n: 1 });
    await dual.publish('room', { n: 2 });
    const operations = events.filter((e): e is OperationEvent => e.type === 'operation');
    const composites = operations.filter((e) => e.dual?.role === 'composite');
    expect(composites.map((e) => [e.provider, e.operation])).toEqual([
      ['redis+realtime', 'publish'],
      ['redis+realtime', 'publish'],
    ]);
    for (const composite of composites) {
      const sides = operations.filter((e) => e.dual?.id === composite.dual?.id && e.dual?.role !== 'composite');
      expect(sides.map((e) => [e.dual?.role, e.provider]).sort()).toEqual([
        ['primary', 'redis'],
        ['shadow', 'realtime'],
      ]);
    }
    expect(new Set(composites.map((e) => e.dual?.id)).size).toBe(2);
  });

  it('classify every divergence', async () => {
    const events: SwitchyardEvent[] = [];
    const shadow = new RecordingBroker('realtime');
    shadow.answer = 'fail';
    const dual = new DualPubSub({ primary: new RecordingBroker('redis'), shadow, onEvent: (e) => events.push(e) });
    await dual.publish('room', 1);
    expect(events.find((e) => e.type === 'divergence')).toMatchObject({ kind: 'shadow-failure', key: 'room' });
  });

  it('cost nothing without a hook: no composite events, plain side calls', async () => {
    const primary = new RecordingBroker('redis');
    const dual = new DualPubSub({ primary, shadow: new RecordingBroker('realtime') });
    await expect(dual.publish('room', 1)).resolves.toMatchObject({ data: 1 });
    expect(primary.published).toHaveLength(1);
  });
});
