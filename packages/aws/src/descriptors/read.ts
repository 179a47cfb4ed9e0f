import type { EnvReader, Setting, SettingDoc } from '@switchyard/core/adapter';

type Doc = Omit<SettingDoc, 'required' | 'secret'> & Partial<Pick<SettingDoc, 'required' | 'secret'>>;

/**
 * A setting read by its own function: these keep the exact messages the variables had before they
 * moved into the adapter, where `setting.*` would word them differently.
 */
export function custom<T>(doc: Doc, read: (env: EnvReader) => T): Setting<T> {
  return { ...doc, required: doc.required ?? false, secret: doc.secret ?? false, read };
}

/** A string that may be unset, read as is. */
export function optional(variable: string, doc: Omit<Doc, 'variable'>): Setting<string | undefined> {
  return custom({ variable, ...doc }, (env) => env.optional(variable));
}

/** A bound in milliseconds, undefined when unset so that the adapter's own default applies. */
export function milliseconds(variable: string, doc: Omit<Doc, 'variable' | 'values'>): Setting<number | undefined> {
  return custom({ variable, values: 'a positive whole number of milliseconds', ...doc }, (env) => {
    if (env.optional(variable) === undefined) return undefined;
    const value = env.number(variable, 0, (n) => Number.isInteger(n) && n > 0, 'a positive whole number of milliseconds');
    return value > 0 ? value : undefined;
  });
}

/** A whole number from `min` to `max` with the adapter's own wording of what is expected. */
export function whole(variable: string, [min, max]: [number, number], expected: string, doc: Omit<Doc, 'variable'>) {
  return custom({ variable, values: `a whole number from ${min} to ${max}`, ...doc }, (env) =>
    env.optional(variable) === undefined
      ? undefined
      : env.number(variable, min, (n) => Number.isInteger(n) && n >= min && n <= max, expected),
  );
}

/** Leaves out what is unset, so each factory applies its own default. */
export function defined<T extends Record<string, unknown>>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

export const HTTP = ['http:', 'https:'];
export const REGION = 'an AWS region such as eu-west-1';

export const region = custom(
  { variable: 'AWS_REGION', description: 'The AWS region of the service.', example: 'eu-west-1', required: true },
  (env) => env.required('AWS_REGION', REGION),
);
