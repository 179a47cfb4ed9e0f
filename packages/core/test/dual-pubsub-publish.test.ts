import { DualPubSub } from '@switchyard/core';
import type { SwitchyardEvent } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { RecordingBroker } from './recording-broker.js';

// A threshold no test below reaches, so each failure is seen; dual-circuit.test.ts covers the breaker.
function setup(failureThreshold = 100) {
  const primary = new RecordingBroker('primary');
  const shadow = new RecordingBroker('shadow');
  const events: SwitchyardEvent[] = [];
  const dual = new DualPubSub({
    primary,
    shadow,
    shadowTimeoutMs: 100,
    shadowCircuit: { failureThreshold },
    onEvent: (e) => events.push(e),
  });
  const divergences = () => events.flatMap((e) => (e.type === 'divergence' ? [e] : []));
  return { primary, shadow, dual, divergences, events };
}

describe('DualPubSub.publish', () => {
  it('publishes to the shadow with the same id while the primary is still publishing', async () => {
    const { primary, shadow, dual, divergences } = setup();
    primary.hold = true;
    const sent = dual.publish('room', { n: 1 }, { id: 'm-1' });
    await expect.poll(() => shadow.published).toEqual([{ channel: 'room', id: 'm-1' }]);
    expect(primary.published).toEqual([{ channel: 'room', id: 'm-1' }]);
    primary.release();
    await expect(sent).resolves.toMatchObject({ id: 'm-1', data: { n: 1 } });
    expect(divergences()).toEqual([]);
  });

  it('gives both brokers one generated id', async () => {
    const { primary, shadow, dual } = setup();
    const message = await dual.publish('room', 'hello');
    expect(primary.published[0]?.id).toBe(message.id);
    expect(shadow.published[0]?.id).toBe(message.id);
  });

  it('throws the primary’s failure', async () => {
    const { primary, dual } = setup();
    primary.answer = 'fail';
    await expect(dual.publish('room', 1)).rejects.toMatchObject({ code: 'UNAVAILABLE', provider: 'primary' });
  });

  it('reports a shadow that fails, throws, or does not answer within the bound, and still returns the primary’s message', async () => {
    const { shadow, dual, divergences } = setup();
    for (const answer of ['fail', 'throw', 'never'] as const) {
      shadow.answer = answer;
      await expect(dual.publish('room', answer)).resolves.toMatchObject({ data: answer });
    }
    expect(divergences()).toMatchObject([
      { operation: 'publish', key: 'room', error: { code: 'UNAVAILABLE', provider: 'shadow' } },
      { operation: 'publish', key: 'room', error: { code: 'UNAVAILABLE', provider: 'shadow', cause: expect.any(Error) } },
      { operation: 'publish', key: 'room', error: { code: 'UNAVAILABLE', message: expect.stringMatching(/within 100 ms/) } },
    ]);
  });

  it('bounds each of many overlapping publishes to a silent shadow, also after a quiet spell', async () => {
    const { shadow, dual, divergences } = setup();
    await dual.publish('room', 'answered');
    shadow.answer = 'never';
    const first = dual.publish('room', 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const rest = [dual.publish('room', 2), dual.publish('room', 3)];
    await expect(Promise.all([first, ...rest])).resolves.toHaveLength(3);
    await expect(dual.publish('room', 4)).resolves.toMatchObject({ data: 4 });
    expect(divergences()).toHaveLength(4);
  });

  it('refuses a payload over the smaller limit before either broker gets it', async () => {
    const { primary, shadow, dual } = setup();
    await expect(dual.publish('room', 'x'.repeat(2000))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect([...primary.published, ...shadow.published]).toEqual([]);
  });
});
