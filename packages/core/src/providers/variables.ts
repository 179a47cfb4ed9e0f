import type { ConfigProblem } from './config.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads variables and collects every problem instead of stopping at the first. */
export class EnvReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  optional(variable: string): string | undefined {
    const value = this.env[variable]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(variable: string, expected: string): string | undefined {
    const value = this.optional(variable);
    if (value === undefined) this.report(variable, 'is not set', expected);
    return value;
  }

  oneOf<T extends string>(variable: string, allowed: readonly T[], fallback: T): T {
    const value = this.optional(variable);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase() as T;
    if (allowed.includes(lower)) return lower;
    this.report(variable, `is "${value}"`, `one of ${allowed.join(', ')}`);
    return fallback;
  }

  url(variable: string, protocols: readonly string[], required: boolean, expected: string): string | undefined {
    const value = required ? this.required(variable, expected) : this.optional(variable);
    if (value === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      // The value itself may embed a password, so it is never echoed.
      this.report(variable, 'is not a valid URL', expected);
      return undefined;
    }
    return value;
  }

  boolean(variable: string, fallback: boolean): boolean {
    const value = this.optional(variable);
    if (value === undefined) return fallback;
    if (/^(true|1|yes)$/i.test(value)) return true;
    if (/^(false|0|no)$/i.test(value)) return false;
    this.report(variable, `is "${value}"`, 'true or false');
    return fallback;
  }

  number(variable: string, fallback: number, check: (n: number) => boolean, expected: string): number {
    const value = this.optional(variable);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (Number.isFinite(parsed) && check(parsed)) return parsed;
    this.report(variable, `is "${value}"`, expected);
    return fallback;
  }

  report(variable: string, problem: string, expected: string): void {
    // Several ports may need the same variable (SUPABASE_URL); list it once.
    if (this.problems.some((p) => p.variable === variable && p.problem === problem)) return;
    this.problems.push({ variable, problem, expected });
  }
}
