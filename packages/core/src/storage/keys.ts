import { SwitchyardError } from '../errors.js';

/** S3's limit, and the strictest of the supported providers. */
export const MAX_KEY_BYTES = 1024;

const encoder = new TextEncoder();

// Control characters break HTTP headers, logs and some providers' signature calculations.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// A lone UTF-16 surrogate has no UTF-8 form: encoders replace it with U+FFFD, so two different
// keys would name one object, and URL encoders throw on it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// The look-around above is slow; most keys hold no surrogate at all, which this finds quickly.
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** Why `key` is not a valid storage key, or null when it is. */
export function keyProblem(key: unknown): string | null {
  if (typeof key !== 'string') return 'a key must be a string';
  if (key.length === 0) return 'a key must not be empty';
  if (ANY_SURROGATE.test(key) && LONE_SURROGATE.test(key)) return 'a key must be well-formed Unicode (it holds a lone UTF-16 surrogate)';
  // Counted only when it could be over: one UTF-16 unit is at most 3 UTF-8 bytes.
  const bytes = key.length * 3 <= MAX_KEY_BYTES ? 0 : encoder.encode(key).length;
  if (bytes > MAX_KEY_BYTES) return `a key must be at most ${MAX_KEY_BYTES} UTF-8 bytes (this one is ${bytes})`;
  if (CONTROL.test(key)) return 'a key must not contain control characters';
  if (key.startsWith('/')) return 'a key must not start with "/"; keys are relative to the bucket';
  if (key.includes('\\')) return 'a key must not contain "\\"; use "/" to separate folders';
  if (DOT_SEGMENT.test(key)) return 'a key must not contain "." or ".." segments';
  if (key.includes('//') || key.endsWith('/')) return 'a key must not contain empty segments ("//") or end with "/"';
  return null;
}

/** Throws `INVALID_INPUT` unless `key` is a valid storage key. Every adapter calls this before any I/O. */
export function validateKey(key: unknown, context: { provider: string; operation: string }): asserts key is string {
  const problem = keyProblem(key);
  if (problem) throw invalidInput(context, `Invalid storage key: ${problem}.`);
}

/** Throws `INVALID_INPUT` unless `prefix` could start a valid key (empty is allowed). */
export function validatePrefix(prefix: unknown, context: { provider: string; operation: string }): void {
  if (prefix === undefined || prefix === '') return;
  // A prefix may end mid-segment or with "/", so check it as if a name followed.
  const probe = typeof prefix === 'string' ? `${prefix}x` : prefix;
  const problem = keyProblem(probe);
  if (problem) throw invalidInput(context, `Invalid list prefix: ${problem.replace('a key', 'a prefix')}.`);
}

function invalidInput(context: { provider: string; operation: string }, message: string): SwitchyardError {
  return new SwitchyardError({ code: 'INVALID_INPUT', port: 'storage', ...context, message });
}

const classes = new Map<string, RegExp>();

/**
 * Why a provider that declares `keyCharacters` cannot hold `key`, or null when it can (or declares
 * none). Adapters and dual-run composites call it after `validateKey`.
 */
export function keyCharactersProblem(key: string, keyCharacters: string | undefined): string | null {
  if (keyCharacters === undefined) return null;
  let allowed = classes.get(keyCharacters);
  if (!allowed) {
    allowed = new RegExp(`^[${keyCharacters}]*$`, 'u');
    classes.set(keyCharacters, allowed);
  }
  if (allowed.test(key)) return null;
  const bad = [...key].find((char) => !allowed.test(char)) ?? '';
  return `this provider cannot store ${JSON.stringify(bad)} in a key (allowed: ${keyCharacters})`;
}

/**
 * Why a provider that declares `maxKeySegmentBytes` cannot hold `key`, or null when it can (or
 * declares no limit). Adapters and dual-run composites call it after `validateKey`.
 */
export function keySegmentProblem(key: string, maxKeySegmentBytes: number | undefined): string | null {
  if (maxKeySegmentBytes === undefined) return null;
  for (const segment of key.split('/')) {
    const bytes = encoder.encode(segment).length;
    if (bytes > maxKeySegmentBytes) {
      return `this provider stores at most ${maxKeySegmentBytes} bytes between two "/" (a segment here has ${bytes})`;
    }
  }
  return null;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Why a provider with these capabilities cannot hold `key`, beyond what `validateKey` refuses
 * (non-ASCII where `unicodeKeys` is false, characters outside `keyCharacters`, segments longer than
 * `maxKeySegmentBytes`), or null when it can.
 */
export function capabilityKeyProblem(
  key: string,
  capabilities: { unicodeKeys: boolean; keyCharacters?: string | undefined; maxKeySegmentBytes?: number | undefined },
): string | null {
  if (!capabilities.unicodeKeys && !PRINTABLE_ASCII.test(key)) return 'this provider stores ASCII keys only';
  return keyCharactersProblem(key, capabilities.keyCharacters) ?? keySegmentProblem(key, capabilities.maxKeySegmentBytes);
}

/**
 * The characters both classes allow, as one class body: what a dual-run over two providers can
 * store. Only printable ASCII survives an intersection of two declared classes.
 */
export function intersectKeyCharacters(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  let body = '';
  for (let code = 0x20; code <= 0x7e; code++) {
    const char = String.fromCharCode(code);
    if (keyCharactersProblem(char, a) === null && keyCharactersProblem(char, b) === null)
      body += /[\\\]^-]/.test(char) ? `\\${char}` : char;
  }
  return body;
}
