import { type EnvReader, type Setting, type SettingDoc, setting } from '@switchyard/core/adapter/descriptor';

export { definedOptions as defined } from '@switchyard/core/adapter/descriptor';

type Doc = Omit<SettingDoc, 'required' | 'secret'> & Partial<Pick<SettingDoc, 'required' | 'secret'>>;

/**
 * A setting read by its own function: these keep the exact messages the variables had before they
 * moved into the adapter, where the other kinds of `setting` would word them differently.
 */
export function custom<T>({ variable, ...doc }: Doc, read: (env: EnvReader) => T): Setting<T> {
  return setting.custom(variable, doc, read);
}

/** A string that may be unset, read as is. */
export function optional(variable: string, doc: Omit<Doc, 'variable'>): Setting<string | undefined> {
  return setting.custom(variable, doc, (env) => env.optional(variable));
}

/** A bound in milliseconds, undefined when unset so that the adapter's own default applies. */
export function milliseconds(variable: string, doc: Omit<Doc, 'variable' | 'values'>): Setting<number | undefined> {
  return setting.milliseconds(variable, doc);
}

/** A whole number from `min` to `max` with the adapter's own wording of what is expected. */
export function whole(variable: string, [min, max]: [number, number], expected: string, doc: Omit<Doc, 'variable' | 'required'>) {
  return setting.integer(variable, { min, max }, { ...doc, expected });
}

export const HTTP = ['http:', 'https:'];
export const REGION = 'an AWS region such as eu-west-1';

export const region = custom(
  { variable: 'AWS_REGION', description: 'The AWS region of the service.', example: 'eu-west-1', required: true },
  (env) => env.required('AWS_REGION', REGION),
);
