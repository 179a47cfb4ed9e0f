import type { EnvReader } from '../providers/variables.js';

/** What the generated reference says about a setting. */
export interface SettingDoc {
  /** The environment variable. */
  variable: string;
  /** One line: what it is for. */
  description: string;
  /** A value that works, for the docs (never a real secret). */
  example: string;
  /** `true`, `false`, or a sentence saying when (e.g. "when RDS_AUTH=secret"). */
  required: boolean | string;
  /** Redacted wherever the plan is printed. */
  secret: boolean;
  /** What an unset variable means, for the docs. */
  default?: string;
  /** The values or form it takes, for the docs (e.g. `enforced`, `except-size`, `not-enforced`). */
  values?: string;
}

/** One setting: its docs and how to read it from the environment. */
export interface Setting<T> extends SettingDoc {
  read(env: EnvReader): T;
}

type Common = Omit<SettingDoc, 'variable' | 'required' | 'secret'> & { secret?: boolean };
type WithRequired = Common & { required?: boolean | string };

function make<T>(variable: string, doc: WithRequired, read: (env: EnvReader) => T): Setting<T> {
  return { variable, ...doc, required: doc.required ?? false, secret: doc.secret ?? false, read };
}

/**
 * The kinds of setting an adapter reads. Each reports a missing or malformed value to the reader,
 * which collects every problem of every adapter into one CONFIG error.
 */
export const setting = {
  /** A setting read by the adapter's own function (rules or wording the kinds below do not have). */
  custom<T>(variable: string, doc: WithRequired, read: (env: EnvReader) => T): Setting<T> {
    return make(variable, doc, read);
  },
  /** A string that must be set. */
  required(variable: string, doc: Common): Setting<string | undefined> {
    return make(variable, { ...doc, required: true }, (env) =>
      env.required(variable, doc.example === '' ? doc.description : `${doc.description}, e.g. ${doc.example}`),
    );
  },
  /** A string that may be unset. */
  optional(variable: string, doc: Common & { required?: string }): Setting<string | undefined> {
    return make(variable, doc, (env) => env.optional(variable));
  },
  /** A URL with one of `protocols` (`http:`, `postgres:`...). */
  url(variable: string, protocols: readonly string[], doc: Common & { required?: boolean | string }): Setting<string | undefined> {
    const hard = doc.required === true;
    return make(variable, { values: protocols.map((p) => `${p}//…`).join(' or '), ...doc }, (env) =>
      env.url(variable, protocols, hard, `${doc.description}, e.g. ${doc.example}`),
    );
  },
  /** One of `values`; `fallback` when unset. */
  oneOf<const V extends string>(variable: string, values: readonly V[], fallback: V, doc: Common): Setting<V> {
    return make(variable, { values: values.join(', '), default: fallback, ...doc }, (env) => env.oneOf(variable, values, fallback));
  },
  /** One of `values`, or undefined when unset (the adapter's own default applies). */
  maybeOneOf<const V extends string>(variable: string, values: readonly V[], doc: Common): Setting<V | undefined> {
    return make(variable, { values: values.join(', '), ...doc }, (env) =>
      env.optional(variable) === undefined ? undefined : env.oneOf(variable, values, values[0] as V),
    );
  },
  /** `true`/`false` (also 1/0, yes/no). */
  boolean(variable: string, fallback: boolean, doc: Common): Setting<boolean> {
    return make(variable, { values: 'true, false', default: String(fallback), ...doc }, (env) => env.boolean(variable, fallback));
  },
  /**
   * A whole number from `min` to `max`, or undefined when unset. `expected` words the problem when
   * the adapter says more than the range (default: the range).
   */
  integer(variable: string, range: { min: number; max: number }, doc: Common & { expected?: string }): Setting<number | undefined> {
    const { expected = `a whole number from ${range.min} to ${range.max}`, ...rest } = doc;
    return make(variable, { values: `a whole number from ${range.min} to ${range.max}`, ...rest }, (env) => {
      if (env.optional(variable) === undefined) return undefined;
      return env.number(variable, Number.NaN, (n) => Number.isInteger(n) && n >= range.min && n <= range.max, expected);
    });
  },
  /** A positive whole number of milliseconds, or undefined when unset (the adapter's default applies). */
  milliseconds(variable: string, doc: Omit<WithRequired, 'values'>): Setting<number | undefined> {
    return make(variable, { values: 'a positive whole number of milliseconds', ...doc }, (env) => {
      if (env.optional(variable) === undefined) return undefined;
      const value = env.number(variable, 0, (n) => Number.isInteger(n) && n > 0, 'a positive whole number of milliseconds');
      return value > 0 ? value : undefined;
    });
  },
};

/** A record of settings, read together into a record of values. */
export type Settings = Readonly<Record<string, Setting<unknown>>>;
export type SettingValues<S extends Settings> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** The options without the ones left undefined, so that each factory applies its own defaults. */
export function definedOptions<T extends Record<string, unknown>>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

/** Reads every setting, reporting every problem to `env`. */
export function readSettings<S extends Settings>(settings: S, env: EnvReader): SettingValues<S> {
  return Object.fromEntries(Object.entries(settings).map(([name, s]) => [name, s.read(env)])) as SettingValues<S>;
}
