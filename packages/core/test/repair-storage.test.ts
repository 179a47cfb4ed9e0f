import { DualStorage, InMemoryJournal, type SwitchyardEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './memory-ports.js';

/** The journal as phase 2 left it (Supabase primary), replayed after the phase 3 redeploy (AWS primary). */
function afterRoleSwap() {
  const supabase = new MemoryStorage('supabase');
  const aws = new MemoryStorage('aws');
  const journal = new InMemoryJournal();
  const events: SwitchyardEvent[] = [];
  const dual = new DualStorage({ primary: aws, shadow: supabase, journal, onEvent: (e) => events.push(e) });
  return { supabase, aws, journal, events, dual };
}

describe('DualStorage.repair across a role swap', () => {
  it('never deletes the only copy of an object a journaled write left at the old primary', async () => {
    const { supabase, journal, events, dual } = afterRoleSwap();
    // Uploaded to a phase 2 signed URL: only Supabase has it; the entry's wait for the upload is over.
    await supabase.put('avatars/late.png', 'only copy');
    await journal.record({
      port: 'storage',
      key: 'avatars/late.png',
      operation: 'createUploadUrl',
      reason: 'signed upload',
      keepUntil: new Date(0),
    });
    expect(await dual.repair()).toEqual({ repaired: 0, remaining: 1 });
    expect(supabase.objects.has('avatars/late.png')).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'divergence', operation: 'repair', key: 'avatars/late.png' }));
  });

  it('still deletes at the shadow what a journaled delete removed, and clears a write neither side holds', async () => {
    const { supabase, journal, dual } = afterRoleSwap();
    await supabase.put('gone.png', 'deleted at the primary');
    await journal.record({ port: 'storage', key: 'gone.png', operation: 'delete', reason: 'shadow write failed' });
    await journal.record({
      port: 'storage',
      key: 'never-uploaded.png',
      operation: 'createUploadUrl',
      reason: 'signed upload',
      keepUntil: new Date(0),
    });
    expect(await dual.repair()).toEqual({ repaired: 2, remaining: 0 });
    expect(supabase.objects.has('gone.png')).toBe(false);
  });
});
