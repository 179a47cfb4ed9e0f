/** The environment the live tier reads: `process.env` or a test's own record. */
export type Env = Record<string, string | undefined>;

/**
 * Reads variables and collects every problem instead of stopping at the first, so that one
 * refusal lists all there is to fix.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  required(name: string, expected: string): string {
    const value = this.optional(name);
    if (value === undefined) this.report(name, 'is not set', expected);
    return value ?? '';
  }

  /** A URL with one of `protocols`; reported (and returned as '') when missing or malformed. */
  url(name: string, protocols: readonly string[], expected: string): string {
    const value = this.required(name, expected);
    if (!value) return '';
    try {
      if (protocols.includes(new URL(value).protocol)) return value;
    } catch {
      // reported below
    }
    this.report(name, 'is not a valid URL here', expected);
    return '';
  }

  /** A positive whole number, or undefined when unset. */
  wholeNumber(name: string, expected: string): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const number = Number(value);
    if (Number.isSafeInteger(number) && number > 0) return number;
    this.report(name, `is "${value}"`, expected);
    return undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.report(name, `is "${value}"`, `one of ${allowed.join(', ')}`);
    return undefined;
  }

  report(name: string, problem: string, expected: string): void {
    this.problems.push(`${name} ${problem}: set it to ${expected}`);
  }
}
