import { DualStorage } from '@switchyard/core';
import { SwitchyardError, type SwitchyardEvent } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './memory-ports.js';

function down(): never {
  throw new SwitchyardError({ code: 'UNAVAILABLE', port: 'storage', provider: 'primary', operation: 'get', message: 'primary down' });
}

async function setup(reads: 'fallback' | 'primary') {
  const primary = new MemoryStorage('primary');
  const shadow = new MemoryStorage('shadow');
  const events: SwitchyardEvent[] = [];
  const dual = new DualStorage({ primary, shadow, reads, copyForward: true, onEvent: (e) => events.push(e) });
  await shadow.put('photo.jpg', 'only at the shadow');
  const divergences = () => events.flatMap((e) => (e.type === 'divergence' ? [e.divergence] : []));
  return { primary, shadow, dual, divergences };
}

describe('DualStorage fallback reads', () => {
  it('serve from the shadow when the primary is unavailable, and say so', async () => {
    const { primary, dual, divergences } = await setup('fallback');
    primary.beforeGet = down;
    primary.head = async () => down();
    expect(await (await dual.get('photo.jpg')).text()).toBe('only at the shadow');
    expect((await dual.head('photo.jpg'))?.size).toBe('only at the shadow'.length);
    expect(divergences()).toEqual([
      'the primary was unavailable; served from the shadow',
      'the primary was unavailable; served from the shadow',
    ]);
    await dual.settled();
    // Nothing is copied to a primary that is down.
    expect(primary.objects.size).toBe(0);
  });

  it("throw the primary's error when the shadow does not have the object either", async () => {
    const { primary, dual } = await setup('fallback');
    primary.beforeGet = down;
    await expect(dual.get('elsewhere.jpg')).rejects.toMatchObject({ code: 'UNAVAILABLE', provider: 'primary' });
  });

  it('do not fall back on a primary that refuses for another reason', async () => {
    const { primary, dual } = await setup('fallback');
    primary.beforeGet = () => {
      throw new SwitchyardError({ code: 'FORBIDDEN', port: 'storage', provider: 'primary', operation: 'get', message: 'no' });
    };
    await expect(dual.get('photo.jpg')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('stay at the primary in primary mode, even when it is unavailable', async () => {
    const { primary, dual } = await setup('primary');
    primary.beforeGet = down;
    await expect(dual.get('photo.jpg')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('copy a found object forward only into an empty key', async () => {
    const { primary, dual } = await setup('fallback');
    expect(await (await dual.get('photo.jpg')).text()).toBe('only at the shadow');
    await dual.settled();
    expect(new TextDecoder().decode(primary.objects.get('photo.jpg')?.bytes)).toBe('only at the shadow');
  });
});
