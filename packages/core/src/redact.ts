// util.inspect looks this symbol up on every object it prints (console.log, REPLs, most loggers).
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** What a secret prints as. */
export const REDACTED = '[redacted]';

type Summary = Record<string, unknown>;
type Inspect = (value: unknown, options: unknown) => string;

/**
 * Makes `target` print as its class name and `summary` through `util.inspect` (so `console.log`),
 * `JSON.stringify` and `String()`, instead of its fields. Adapters hold keys, passwords and SDK
 * clients configured with credentials; none of that may reach a log by accident. `summary` must
 * hold nothing secret (provider, port, bucket, region...). Returns `target`.
 */
export function printsAs<T extends object>(target: T, summary: Summary | (() => Summary)): T {
  const describe = typeof summary === 'function' ? summary : () => summary;
  const name = target.constructor?.name && target.constructor !== Object ? target.constructor.name : 'Object';
  Object.defineProperties(target, {
    [INSPECT]: {
      value: (_depth: number, options: unknown, inspect: Inspect) => `${name} ${inspect(describe(), options)}`,
      enumerable: false,
      configurable: true,
    },
    toJSON: { value: () => ({ ...describe() }), enumerable: false, configurable: true },
    toString: { value: () => `[${name}]`, enumerable: false, configurable: true },
  });
  return target;
}

/** `url` with any password (and user info) replaced, for settings that may print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = REDACTED;
    return parsed.toString();
  } catch {
    return REDACTED;
  }
}
