import { type Setting, type SettingDoc, setting } from '@switchyard/core/adapter/descriptor';

export { definedOptions as defined } from '@switchyard/core/adapter/descriptor';

/**
 * The settings several Supabase adapters share, and the kinds of setting whose messages
 * `createProviders` gave before adapters owned their settings (kept word for word).
 */

type Doc = Omit<SettingDoc, 'variable' | 'required' | 'secret'> & { secret?: boolean; required?: boolean | string };

export const HTTP = ['http:', 'https:'] as const;

export const projectUrl = setting.url('SUPABASE_URL', HTTP, {
  description: 'the project URL',
  example: 'https://abcdefgh.supabase.co',
  required: true,
});

/** A string that must be set, reported with `expected` as the message says it. */
export function requiredText(variable: string, expected: string, doc: Omit<Doc, 'required'>): Setting<string | undefined> {
  return setting.custom(variable, { ...doc, required: true }, (env) => env.required(variable, expected));
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
  const range = { min: 1, max: Number.MAX_SAFE_INTEGER };
  return setting.integer(variable, range, { values: 'a positive whole number', ...doc, expected: `a positive whole number: ${expected}` });
}

/** A bound in milliseconds, left out when unset so that the adapter's own default applies. */
export function milliseconds(variable: string, doc: Doc): Setting<number | undefined> {
  return setting.milliseconds(variable, doc);
}

/** A whole number of 0 or more (0 turns the feature off), or undefined when unset. */
export function zeroOrMore(variable: string, expected: string, doc: Doc): Setting<number | undefined> {
  return setting.integer(variable, { min: 0, max: Number.MAX_SAFE_INTEGER }, { values: 'a whole number, 0 or more', ...doc, expected });
}

/** A comma-separated list, or undefined when unset. */
export function list(variable: string, doc: Doc): Setting<string[] | undefined> {
  return setting.custom(variable, { values: 'names separated by commas', ...doc }, (env) => {
    const value = env.optional(variable);
    if (value === undefined) return undefined;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  });
}
