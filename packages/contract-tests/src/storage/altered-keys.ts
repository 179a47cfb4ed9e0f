import { keyCharactersProblem } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { expectSwitchyardError } from '../expect-error.js';
import type { StorageSuiteContext } from './context.js';
import { drain } from './http.js';

/**
 * Names that URL handling tends to alter: fetch trims edge spaces, `%` starts an escape, `#` ends
 * the path, `?` starts the query and `+` reads as a space in forms. Each must either round-trip
 * unchanged through every method or, where `keyCharacters` says the provider cannot hold it, be
 * refused before any I/O.
 */
const ALTERED: Record<string, string> = {
  'a trailing space': 'name ',
  'a leading space': ' name',
  'an escaped-looking %20': 'a%20b',
  'a bare %': '100%',
  'a #': 'a#b',
  'a ? and =': 'a?b=c',
  'a +': 'a+b',
  'a space inside': 'a b',
  'a trailing dot-space folder': 'folder. /x',
};

export function alteredKeyCases(ctx: StorageSuiteContext): void {
  describe('keys that URL handling alters', () => {
    for (const [label, name] of Object.entries(ALTERED)) {
      it(`round-trips ${label} through every method, or refuses it as declared`, async () => {
        const port = ctx.port();
        const folder = ctx.folder();
        const key = `${folder}${name}`;
        const copyKey = `${folder}copy-${name}`;
        const problem = keyCharactersProblem(key, port.capabilities.keyCharacters);
        if (problem) {
          await expectSwitchyardError(port.put(key, 'x'), 'INVALID_INPUT');
          await expectSwitchyardError(port.head(key), 'INVALID_INPUT');
          await expectSwitchyardError(port.delete(key), 'INVALID_INPUT');
          await expectSwitchyardError(port.createUploadUrl(key), 'INVALID_INPUT');
          await expectSwitchyardError(port.createDownloadUrl(key), 'INVALID_INPUT');
          return;
        }
        const put = await port.put(key, `body of ${label}`, { contentType: 'text/plain' });
        expect(put.key).toBe(key);
        expect((await port.head(key))?.key).toBe(key);
        expect(await (await port.get(key)).text()).toBe(`body of ${label}`);
        expect((await port.list({ prefix: folder })).items.map((item) => item.key)).toEqual([key]);

        await port.copy(key, copyKey);
        expect(await (await port.get(copyKey)).text()).toBe(`body of ${label}`);

        const url = await port.createDownloadUrl(key);
        const response = await fetch(url.url);
        expect(response.status, `download of ${JSON.stringify(key)}`).toBe(200);
        expect(await response.text()).toBe(`body of ${label}`);

        await port.delete([key, copyKey]);
        expect(await port.head(key)).toBeNull();
        expect(await port.head(copyKey)).toBeNull();
        const left = await port.list({ prefix: folder });
        expect(left.items, 'delete left an object behind under another name').toEqual([]);
        await drain(response);
      });
    }
  });
}
