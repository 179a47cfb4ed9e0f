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

function make<T>(variable: string, doc: Common & { required?: boolean | string }, read: (env: EnvReader) => T): Setting<T> {
  return { variable, required: doc.required ?? false, secret: doc.secret ?? false, ...doc, read };
}

/**
 * The kinds of setting an adapter reads. Each reports a missing or malformed value to the reader,
 * which collects every problem of every adapter into one CONFIG error.
 */
export const setting = {
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
  /** A whole number from `min` to `max`, or undefined when unset. */
  integer(variable: string, range: { min: number; max: number }, doc: Common): Setting<number | undefined> {
    const expected = `a whole number from ${range.min} to ${range.max}`;
    return make(variable, { values: expected, ...doc }, (env) => {
      if (env.optional(variable) === undefined) return undefined;
      return env.number(variable, Number.NaN, (n) => Number.isInteger(n) && n >= range.min && n <= range.max, expected);
    });
  },
};

/** A record of settings, read together into a record of values. */
export type Settings = Readonly<Record<string, Setting<unknown>>>;
export type SettingValues<S extends Settings> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** Reads every setting, reporting every problem to `env`. */
export function readSettings<S extends Settings>(settings: S, env: EnvReader): SettingValues<S> {
  return Object.fromEntries(Object.entries(settings).map(([name, s]) => [name, s.read(env)])) as SettingValues<S>;
}
