import { SwitchyardError } from '../errors.js';

// Control characters split headers; a lone surrogate has no UTF-8 form and breaks the signature
// of a URL that carries the name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const BAD = /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws `INVALID_INPUT` unless `name` can be a `downloadAs` file name on every provider. */
export function validateDownloadName(name: unknown, context: { provider: string; operation: string }): asserts name is string {
  if (typeof name === 'string' && name.length > 0 && name.length <= 255 && !BAD.test(name)) return;
  throw new SwitchyardError({
    code: 'INVALID_INPUT',
    port: 'storage',
    ...context,
    message: 'downloadAs must be a file name of 1 to 255 characters of well-formed text without control characters.',
  });
}
