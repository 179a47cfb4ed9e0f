import { randomId } from '@switchyard/contract-tests';
import { SwitchyardError } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { suiteBucket } from './storage-peer.js';

/** Two versions that differ in every field `get` reports, so a torn read shows in each of them. */
const VERSIONS = [
  { letter: 'A', size: 1500, contentType: 'text/x-version-a', cacheControl: 'max-age=11', metadata: { version: 'a' } },
  { letter: 'B', size: 2700, contentType: 'text/x-version-b', cacheControl: 'max-age=22', metadata: { version: 'b' } },
] as const;

describe('SupabaseStorage get under concurrent overwrites (real Storage API server)', () => {
  const bucket = suiteBucket();

  it("never returns one version's info with another version's bytes", async () => {
    const storage = await bucket.open();
    const key = `race-${randomId()}/object`;
    const write = (index: number) => {
      const version = VERSIONS[index % 2]!;
      return storage.put(key, version.letter.repeat(version.size), {
        contentType: version.contentType,
        cacheControl: version.cacheControl,
        metadata: version.metadata,
      });
    };
    await write(0);
    let writing = true;
    const writer = (async () => {
      for (let i = 1; writing; i++) await write(i);
    })();

    const torn: string[] = [];
    const seen = new Set<string>();
    let changing = 0;
    try {
      for (let read = 0; read < 150; read++) {
        try {
          const object = await storage.get(key);
          const text = await object.text();
          const version = VERSIONS.find((v) => v.letter === text[0]);
          if (!version) throw new Error(`unexpected body starting ${JSON.stringify(text.slice(0, 8))}`);
          seen.add(version.letter);
          const info = object.info;
          const matches =
            text.length === version.size &&
            info.size === version.size &&
            info.contentType === version.contentType &&
            info.cacheControl === version.cacheControl &&
            info.metadata.version === version.metadata.version;
          if (!matches) torn.push(`${version.letter} bytes with ${info.contentType}, ${info.size} bytes, ${info.metadata.version}`);
        } catch (error) {
          // Reads may give up while the object keeps changing; they must say so as a retryable error.
          if (!(SwitchyardError.isInstance(error) && error.code === 'UNAVAILABLE' && error.retryable)) throw error;
          changing++;
        }
      }
    } finally {
      writing = false;
      await writer;
    }
    // The race must really have happened for the check to mean anything.
    expect([...seen].sort()).toEqual(['A', 'B']);
    expect(changing, 'most reads must succeed while the object changes').toBeLessThan(30);
    expect(torn, `${torn.length} of 150 reads were torn`).toEqual([]);
  });
});
