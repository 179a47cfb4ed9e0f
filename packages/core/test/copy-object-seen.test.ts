import { copyObject } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './memory-ports.js';

describe('copyObject with the target already looked at (seen)', () => {
  it('does not look again, and the conditional write still refuses an object written since the look', async () => {
    const from = new MemoryStorage('old');
    const to = new MemoryStorage('new');
    to.capabilities.conditionalPut = true;
    await from.put('k', 'old version', { contentType: 'text/plain' });
    let heads = 0;
    const head = to.head.bind(to);
    to.head = async (key) => {
      heads++;
      return head(key);
    };
    // The caller's listing showed no object; the app writes one before the copy's put.
    await to.put('k', 'newer version written by the app', { contentType: 'text/plain' });
    expect(await copyObject(from, to, 'k', { newerTarget: 'keep', seen: null })).toBe('raced');
    expect(heads).toBe(0);
    expect(new TextDecoder().decode(to.objects.get('k')!.bytes)).toBe('newer version written by the app');
  });

  it('copies into a key seen empty with one write and no head', async () => {
    const from = new MemoryStorage('old');
    const to = new MemoryStorage('new');
    to.capabilities.conditionalPut = true;
    await from.put('k', 'bytes', { contentType: 'image/png', metadata: { owner: 'u1' } });
    expect(await copyObject(from, to, 'k', { newerTarget: 'keep', seen: null })).toBe('copied');
    expect(to.objects.get('k')?.info).toMatchObject({ contentType: 'image/png', metadata: { owner: 'u1' }, size: 5 });
  });
});
