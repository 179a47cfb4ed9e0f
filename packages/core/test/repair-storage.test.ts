import { DualStorage, InMemoryJournal } from '@switchyard/core';
import { SwitchyardError, type SwitchyardEvent } from '@switchyard/core/adapter';
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
  it('copies to the new primary the only copy of an object uploaded through a phase 2 signed URL', async () => {
    const { supabase, aws, journal, dual } = afterRoleSwap();
    // Uploaded to a phase 2 signed URL: only Supabase has it; the entry's wait for the upload is over.
    await supabase.put('avatars/late.png', 'only copy');
    await journal.record({
      port: 'storage',
      key: 'avatars/late.png',
      operation: 'createUploadUrl',
      reason: 'signed upload',
      keepUntil: new Date(0),
      primary: 'supabase',
    });
    expect(await dual.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(supabase.objects.has('avatars/late.png')).toBe(true);
    expect(new TextDecoder().decode(aws.objects.get('avatars/late.png')?.bytes)).toBe('only copy');
  });

  it('never deletes the only copy an entry of the current primary cannot find, and says so', async () => {
    const { supabase, journal, events, dual } = afterRoleSwap();
    await supabase.put('avatars/stray.png', 'only copy');
    await journal.record({ port: 'storage', key: 'avatars/stray.png', operation: 'put', reason: 'shadow write failed', primary: 'aws' });
    expect(await dual.repair()).toEqual({ repaired: 0, remaining: 1 });
    expect(supabase.objects.has('avatars/stray.png')).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'divergence', operation: 'repair', key: 'avatars/stray.png' }));
  });

  it('still deletes at the shadow what a journaled delete removed, and clears a write neither side holds', async () => {
    const { supabase, journal, dual } = afterRoleSwap();
    await supabase.put('gone.png', 'deleted at the primary');
    await journal.record({ port: 'storage', key: 'gone.png', operation: 'delete', reason: 'shadow write failed', primary: 'aws' });
    await journal.record({
      port: 'storage',
      key: 'never-uploaded.png',
      operation: 'createUploadUrl',
      reason: 'signed upload',
      keepUntil: new Date(0),
      primary: 'aws',
    });
    expect(await dual.repair()).toEqual({ repaired: 2, remaining: 0 });
    expect(supabase.objects.has('gone.png')).toBe(false);
  });
});

/** Phase 2 (Supabase primary, AWS shadow) with AWS refusing deletes, then the phase 3 composite over the same journal. */
async function deleteJournaledBeforeSwap(key: string) {
  const supabase = new MemoryStorage('supabase');
  const aws = new MemoryStorage('aws');
  const journal = new InMemoryJournal();
  const phase2 = new DualStorage({ primary: supabase, shadow: aws, journal });
  await phase2.put(key, 'a photo');
  const deleteAtAws = aws.delete.bind(aws);
  aws.delete = () =>
    Promise.reject(new SwitchyardError({ code: 'UNAVAILABLE', port: 'storage', provider: 'aws', operation: 'delete', message: 'down' }));
  await phase2.delete(key);
  aws.delete = deleteAtAws;
  expect(await journal.pending('storage', 10)).toMatchObject([{ key, operation: 'delete' }]);
  const phase3 = new DualStorage({ primary: aws, shadow: supabase, journal });
  return { supabase, aws, journal, phase3 };
}

describe('DualStorage.repair of entries journaled before the roles swapped', () => {
  it('removes everywhere an object deleted at the old primary, instead of copying it back from the new one', async () => {
    const { supabase, aws, phase3 } = await deleteJournaledBeforeSwap('photos/deleted.jpg');
    expect(aws.objects.has('photos/deleted.jpg')).toBe(true);
    expect(await phase3.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(aws.objects.has('photos/deleted.jpg')).toBe(false);
    expect(supabase.objects.has('photos/deleted.jpg')).toBe(false);
  });

  it('copies to the new primary an object re-created at the old primary since the delete', async () => {
    const { supabase, aws, phase3 } = await deleteJournaledBeforeSwap('photos/again.jpg');
    await supabase.put('photos/again.jpg', 'uploaded again', { contentType: 'image/jpeg' });
    expect(await phase3.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(await (await aws.get('photos/again.jpg')).text()).toBe('uploaded again');
    expect((await aws.head('photos/again.jpg'))?.contentType).toBe('image/jpeg');
  });

  it('replays an entry recorded again after the swap against the new primary', async () => {
    const { supabase, journal, phase3 } = await deleteJournaledBeforeSwap('photos/rewritten.jpg');
    supabase.failPut.add('photos/rewritten.jpg');
    await phase3.put('photos/rewritten.jpg', 'written in phase 3');
    expect(await journal.pending('storage', 10)).toMatchObject([{ key: 'photos/rewritten.jpg', operation: 'put', primary: 'aws' }]);
    expect(await phase3.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(await (await supabase.get('photos/rewritten.jpg')).text()).toBe('written in phase 3');
  });

  it("never deletes the new primary's copy after a write the old primary no longer holds", async () => {
    const supabase = new MemoryStorage('supabase');
    const aws = new MemoryStorage('aws');
    const journal = new InMemoryJournal();
    const events: SwitchyardEvent[] = [];
    await aws.put('docs/kept.pdf', 'only copy');
    await journal.record({ port: 'storage', key: 'docs/kept.pdf', operation: 'put', reason: 'shadow write failed', primary: 'supabase' });
    const phase3 = new DualStorage({ primary: aws, shadow: supabase, journal, onEvent: (e) => events.push(e) });
    expect(await phase3.repair()).toEqual({ repaired: 0, remaining: 1 });
    expect(aws.objects.has('docs/kept.pdf')).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'divergence', operation: 'repair', key: 'docs/kept.pdf' }));
  });

  it('tells two sides of the same provider apart by their labels', async () => {
    const before = new MemoryStorage('local');
    const after = new MemoryStorage('local');
    const journal = new InMemoryJournal();
    await after.put('same/gone.txt', 'deleted at the old primary');
    await journal.record({ port: 'storage', key: 'same/gone.txt', operation: 'delete', reason: 'shadow write failed', primary: 'before' });
    const swapped = new DualStorage({ primary: after, shadow: before, journal, labels: { primary: 'after', shadow: 'before' } });
    expect(await swapped.repair()).toEqual({ repaired: 1, remaining: 0 });
    expect(after.objects.has('same/gone.txt')).toBe(false);
  });
});
