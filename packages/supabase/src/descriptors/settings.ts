import { type EnvReader, type Setting, type SettingDoc, setting } from '@switchyard/core/adapter';

/**
 * The settings several Supabase adapters share, and the kinds of setting whose messages
 * `createProviders` gave before adapters owned their settings (kept word for word).
 */

type Doc = Omit<SettingDoc, 'variable' | 'required' | 'secret'> & { secret?: boolean; required?: boolean | string };

function make<T>(variable: string, doc: Doc, read: (env: EnvReader) => T): Setting<T> {
  return { variable, ...doc, required: doc.required ?? false, secret: doc.secret ?? false, read };
}

export const HTTP = ['http:', 'https:'] as const;

export const projectUrl = setting.url('SUPABASE_URL', HTTP, {
  description: 'the project URL',
  example: 'https://abcdefgh.supabase.co',
  required: true,
});

/** A string that must be set, reported with `expected` as the message says it. */
export function requiredText(variable: string, expected: string, doc: Omit<Doc, 'required'>): Setting<string | undefined> {
  return make(variable, { ...doc, required: true }, (env) => env.required(variable, expected));
}

export const serviceRoleKey = requiredText(
  'SUPABASE_SERVICE_ROLE_KEY',
  'the service_role key from the project API settings (server only)',
  {
    description: 'the service_role key from the project API settings; server only, it bypasses row-level security',
    example: 'eyJhbGciOiJIUzI1NiIs… or sb_secret_…',
    secret: true,
  },
);

/** A positive whole number, or undefined when unset (the factory's default applies). */
export function wholeNumber(variable: string, expected: string, doc: Doc): Setting<number | undefined> {
  return make(variable, { values: 'a positive whole number', ...doc }, (env) => {
    if (env.optional(variable) === undefined) return undefined;
    return env.number(variable, 0, (n) => Number.isSafeInteger(n) && n > 0, `a positive whole number: ${expected}`);
  });
}

/** A bound in milliseconds, left out when unset so that the adapter's own default applies. */
export function milliseconds(variable: string, doc: Doc): Setting<number | undefined> {
  return make(variable, { values: 'a positive whole number of milliseconds', ...doc }, (env) => {
    if (env.optional(variable) === undefined) return undefined;
    const value = env.number(variable, 0, (n) => Number.isInteger(n) && n > 0, 'a positive whole number of milliseconds');
    return value > 0 ? value : undefined;
  });
}

/** A whole number of 0 or more (0 turns the feature off), or undefined when unset. */
export function zeroOrMore(variable: string, expected: string, doc: Doc): Setting<number | undefined> {
  return make(variable, { values: 'a whole number, 0 or more', ...doc }, (env) => {
    if (env.optional(variable) === undefined) return undefined;
    return env.number(variable, 0, (n) => Number.isSafeInteger(n) && n >= 0, expected);
  });
}

/** A comma-separated list, or undefined when unset. */
export function list(variable: string, doc: Doc): Setting<string[] | undefined> {
  return make(variable, { values: 'names separated by commas', ...doc }, (env) => {
    const value = env.optional(variable);
    if (value === undefined) return undefined;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  });
}

/** Leaves out what is undefined, so each factory applies its own default. */
export function defined<T extends Record<string, unknown>>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}
