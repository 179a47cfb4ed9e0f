import { inspect } from 'node:util';

/** Everything a log line could show of `value`: util.inspect (deep, hidden fields too), nested, JSON and String. */
export function printedForms(value: unknown): string[] {
  return [
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect({ nested: value }, { depth: Number.POSITIVE_INFINITY }),
    JSON.stringify({ value }),
    String(value),
  ];
}
