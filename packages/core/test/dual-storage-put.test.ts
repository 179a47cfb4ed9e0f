import { DualStorage, type DualStorageOptions, InMemoryJournal } from '@switchyard/core';
import { SwitchyardError, type SwitchyardEvent } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './memory-ports.js';

/** A promise the test settles by hand, to hold one side's call open. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const down = (operation: string) =>
  new SwitchyardError({ code: 'UNAVAILABLE', port: 'storage', provider: 'test', operation, message: 'down' });

function setup(options: Pick<DualStorageOptions, 'reads' | 'shadowTimeoutMs'> = {}) {
  const primary = new MemoryStorage('primary');
  const shadow = new MemoryStorage('shadow');
  const journal = new InMemoryJournal();
  const events: SwitchyardEvent[] = [];
  const dual = new DualStorage({ primary, shadow, journal, shadowTimeoutMs: 200, onEvent: (e) => events.push(e), ...options });
  const divergences = () => events.flatMap((e) => (e.type === 'divergence' ? [e] : []));
  return { primary, shadow, journal, dual, divergences };
}

/** Holds every put at `side` until the returned gate opens. */
function holdPuts(side: MemoryStorage) {
  const held = gate();
  const put = side.put.bind(side);
  side.put = async (...args) => {
    await held.opened;
    return put(...args);
  };
  return held;
}

describe('DualStorage.put of a whole body', () => {
  it('writes the shadow while the primary is still writing', async () => {
    const { primary, shadow, dual } = setup();
    const held = holdPuts(primary);
    const put = dual.put('both.txt', 'at once');
    await expect.poll(() => shadow.objects.has('both.txt')).toBe(true);
    expect(primary.objects.has('both.txt')).toBe(false);
    held.open();
    await expect(put).resolves.toMatchObject({ key: 'both.txt', size: 7 });
    expect(primary.objects.has('both.txt')).toBe(true);
  });

  it('answers with the primary once the bound passes when the shadow is slower, and journals the key', async () => {
    const { primary, shadow, journal, dual, divergences } = setup();
    const held = holdPuts(shadow);
    await expect(dual.put('slow.txt', 'data')).resolves.toMatchObject({ key: 'slow.txt' });
    expect(primary.objects.has('slow.txt')).toBe(true);
    expect(divergences()).toMatchObject([{ operation: 'put', key: 'slow.txt', error: { code: 'UNAVAILABLE' } }]);
    expect(await journal.pending('storage', 10)).toMatchObject([{ key: 'slow.txt', operation: 'put' }]);
    held.open();
    await expect.poll(() => shadow.objects.has('slow.txt')).toBe(true);
    expect(await dual.repair()).toEqual({ repaired: 1, remaining: 0 });
  });

  it('removes the shadow copy of a put the primary refused, and journals it as a delete', async () => {
    const { primary, shadow, journal, dual, divergences } = setup();
    primary.failPut.add('refused.txt');
    await expect(dual.put('refused.txt', 'did not happen')).rejects.toMatchObject({ code: 'UNAVAILABLE', provider: 'primary' });
    expect(shadow.puts).toEqual(['refused.txt']);
    expect(shadow.objects.has('refused.txt')).toBe(false);
    expect(divergences()).toMatchObject([{ operation: 'put', key: 'refused.txt', divergence: expect.stringMatching(/removed/) }]);
    expect(await journal.pending('storage', 10)).toMatchObject([{ key: 'refused.txt', operation: 'delete' }]);
    expect(await dual.repair()).toEqual({ repaired: 1, remaining: 0 });
  });

  it('gives the shadow back the primary’s version when the primary refused an overwrite', async () => {
    const { primary, shadow, dual } = setup();
    await dual.put('kept.txt', 'old');
    primary.failPut.add('kept.txt');
    await expect(dual.put('kept.txt', 'new!')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(shadow.objects.has('kept.txt')).toBe(false);
    expect(await dual.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(new TextDecoder().decode(shadow.objects.get('kept.txt')?.bytes)).toBe('old');
  });

  it('journals a copy it could not remove, and repair removes it', async () => {
    const { primary, shadow, journal, dual, divergences } = setup();
    primary.failPut.add('stuck.txt');
    const deleteAtShadow = shadow.delete.bind(shadow);
    shadow.delete = () => Promise.reject(down('delete'));
    await expect(dual.put('stuck.txt', 'did not happen')).rejects.toMatchObject({ provider: 'primary' });
    expect(shadow.objects.has('stuck.txt')).toBe(true);
    expect(divergences()).toMatchObject([
      { key: 'stuck.txt', divergence: expect.stringMatching(/journaled/), error: { code: 'UNAVAILABLE' } },
    ]);
    expect(await journal.pending('storage', 10)).toMatchObject([{ key: 'stuck.txt', operation: 'delete' }]);
    shadow.delete = deleteAtShadow;
    expect(await dual.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(shadow.objects.has('stuck.txt')).toBe(false);
  });

  it('removes through repair a shadow copy that lands after the bound of a put the primary refused', async () => {
    const { primary, shadow, dual } = setup();
    const held = holdPuts(shadow);
    primary.failPut.add('late.txt');
    await expect(dual.put('late.txt', 'did not happen')).rejects.toMatchObject({ provider: 'primary' });
    held.open();
    await expect.poll(() => shadow.objects.has('late.txt')).toBe(true);
    expect(await dual.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(shadow.objects.has('late.txt')).toBe(false);
  });

  it('leaves the journal alone when both sides refused the put', async () => {
    const { primary, shadow, journal, dual, divergences } = setup();
    primary.failPut.add('neither.txt');
    shadow.failPut.add('neither.txt');
    await expect(dual.put('neither.txt', 'x')).rejects.toMatchObject({ provider: 'primary' });
    expect(divergences()).toEqual([]);
    expect(await journal.pending('storage', 10)).toEqual([]);
  });
});

describe('DualStorage.put written one side after the other', () => {
  it('in fallback mode never touches the shadow, which may hold the only copy, when the primary refuses', async () => {
    const { primary, shadow, dual } = setup({ reads: 'fallback' });
    await shadow.put('only-copy.txt', 'not migrated yet');
    primary.failPut.add('only-copy.txt');
    await expect(dual.put('only-copy.txt', 'did not happen')).rejects.toMatchObject({ provider: 'primary' });
    expect(shadow.puts).toEqual(['only-copy.txt']);
    expect(new TextDecoder().decode(shadow.objects.get('only-copy.txt')?.bytes)).toBe('not migrated yet');
  });

  it('copies a streamed body to the shadow from the primary once the primary has it', async () => {
    const { primary, shadow, dual } = setup();
    const shadowPut = shadow.put.bind(shadow);
    let primaryHadIt = false;
    shadow.put = (key, ...rest) => {
      primaryHadIt = primary.objects.has(key);
      return shadowPut(key, ...rest);
    };
    const body = new Blob(['streamed']).stream();
    await dual.put('stream.txt', body, { contentType: 'text/plain' });
    expect(primaryHadIt).toBe(true);
    expect(shadow.objects.get('stream.txt')?.info).toMatchObject({ size: 8, contentType: 'text/plain' });
  });
});
