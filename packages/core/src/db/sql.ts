import { SwitchyardError } from '../errors.js';

const FRAGMENT = Symbol.for('switchyard.sql.fragment');
const IDENTIFIER = Symbol.for('switchyard.sql.identifier');

/**
 * A piece of SQL built only by the `sql` tag: literal text from template strings, and values
 * that always become bound parameters. There is deliberately no way to splice a string in.
 */
export interface SqlFragment {
  readonly [FRAGMENT]: true;
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
}

/** A quoted identifier from `sql.ident`. */
export interface SqlIdentifier {
  readonly [IDENTIFIER]: true;
  readonly quoted: string;
}

/** Text and parameters ready for a PostgreSQL driver. */
export interface CompiledQuery {
  text: string;
  values: unknown[];
}

function isFragment(value: unknown): value is SqlFragment {
  return typeof value === 'object' && value !== null && FRAGMENT in value;
}

function isIdentifier(value: unknown): value is SqlIdentifier {
  return typeof value === 'object' && value !== null && IDENTIFIER in value;
}

/** Takes ownership of both arrays: each caller passes a template's own (frozen) strings or arrays it just built. */
function fragment(strings: readonly string[], values: unknown[]): SqlFragment {
  return Object.freeze({ [FRAGMENT]: true as const, strings: Object.freeze(strings), values: Object.freeze(values) });
}

function notATemplate(): SwitchyardError {
  return new SwitchyardError({
    code: 'INVALID_INPUT',
    port: 'db',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the template syntax to use.
    message: 'sql must be used as a tagged template: sql`select * from t where id = ${id}`. It does not accept strings.',
  });
}

/**
 * Tagged template for queries: `sql\`select * from profiles where id = ${id}\``.
 * Interpolated values become `$n` parameters; interpolated `sql` fragments and `sql.ident`
 * identifiers are composed in place.
 */
function sqlTag(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  // Template string arrays are frozen and carry `raw`; a hand-made array is an attempt to splice text.
  if (!Array.isArray(strings) || !Object.isFrozen(strings) || !Array.isArray((strings as TemplateStringsArray).raw)) {
    throw notATemplate();
  }
  return fragment(strings, values);
}

// PostgreSQL's NAMEDATALEN - 1: a longer name is silently truncated, so two names could meet.
const MAX_IDENTIFIER_BYTES = 63;
const utf8 = new TextEncoder();

function identifierProblem(part: unknown): string | null {
  if (typeof part !== 'string' || part === '') return 'is empty or not a string';
  if (part.includes('\u0000')) return 'contains NUL';
  const bytes = utf8.encode(part).length;
  if (bytes > MAX_IDENTIFIER_BYTES) return `is ${bytes} UTF-8 bytes; PostgreSQL would silently cut it to ${MAX_IDENTIFIER_BYTES}`;
  return null;
}

/** Quotes one or more identifier parts: `sql.ident('public', 'profiles')` → `"public"."profiles"`. */
function ident(...parts: string[]): SqlIdentifier {
  const problem = parts.length === 0 ? 'no name was given' : parts.map(identifierProblem).find((p) => p !== null);
  if (problem) {
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      port: 'db',
      message: `sql.ident needs one or more non-empty names of at most ${MAX_IDENTIFIER_BYTES} UTF-8 bytes without NUL: ${problem.startsWith('no ') ? problem : `a name ${problem}`}.`,
    });
  }
  return Object.freeze({ [IDENTIFIER]: true as const, quoted: parts.map((p) => `"${p.replaceAll('"', '""')}"`).join('.') });
}

/** Joins fragments with a separator fragment (default `, `), for lists of values or conditions. */
function join(items: readonly SqlFragment[], separator: SqlFragment = sqlTag`, `): SqlFragment {
  if (!items.every(isFragment)) {
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      port: 'db',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the template syntax to use.
      message: 'sql.join accepts only sql fragments; wrap values with sql`${value}`.',
    });
  }
  const strings: string[] = [''];
  const values: unknown[] = [];
  items.forEach((item, index) => {
    if (index > 0) {
      values.push(separator);
      strings.push('');
    }
    values.push(item);
    strings.push('');
  });
  return fragment(strings, values);
}

export const sql: typeof sqlTag & {
  ident: typeof ident;
  join: typeof join;
  /** The empty fragment, for optional clauses. */
  empty: SqlFragment;
  isFragment: typeof isFragment;
} = Object.assign(sqlTag, { ident, join, empty: fragment([''], []), isFragment });

/**
 * The text of fragments whose values are all parameters, by their template's strings: a template
 * literal's strings array is one object per call site, so a query in a loop renders once.
 */
const flatText = new WeakMap<readonly string[], string>();

/** Turns a fragment into driver text with `$1…$n` placeholders. */
export function compile(query: SqlFragment): CompiledQuery {
  if (!isFragment(query)) throw notATemplate();
  // Frozen: a fragment forged with the shared symbol could change its strings after the first render.
  if (Object.isFrozen(query.strings) && query.values.every(isParameter)) {
    let text = flatText.get(query.strings);
    if (text === undefined) {
      text = render(query, []);
      flatText.set(query.strings, text);
    }
    return { text, values: query.values.map(parameter) };
  }
  const values: unknown[] = [];
  const text = render(query, values);
  return { text, values };
}

function isParameter(value: unknown): boolean {
  return !isFragment(value) && !isIdentifier(value);
}

function parameter(value: unknown): unknown {
  return value === undefined ? null : value;
}

function render(query: SqlFragment, values: unknown[]): string {
  let text = query.strings[0] ?? '';
  query.values.forEach((value, index) => {
    if (isFragment(value)) text += render(value, values);
    else if (isIdentifier(value)) text += value.quoted;
    else {
      values.push(parameter(value));
      text += `$${values.length}`;
    }
    text += query.strings[index + 1] ?? '';
  });
  return text;
}
