import { printsAs, REDACTED, redactUrl } from '../redact.js';
import type { AdapterSpec, ProvidersPlan } from './config.js';

// Option names that hold credentials. Settings are named by each adapter; these are the words they use.
const SECRET = /secret|password|token|privatekey|servicerolekey|anonkey|credentials|apikey|^key$/i;

function redactedOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([name, value]) => {
      if (SECRET.test(name)) return [name, REDACTED];
      if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [name, redactUrl(value)];
      if (value && typeof value === 'object' && !Array.isArray(value)) return [name, redactedOptions(value as Record<string, unknown>)];
      return [name, value];
    }),
  );
}

function printableSpec(spec: AdapterSpec): AdapterSpec {
  const { options, ...rest } = spec;
  return printsAs(spec, () => ({ ...rest, options: redactedOptions(options) }));
}

/** The plan, printing (inspect, JSON, String) with every secret setting redacted; its values stay usable. */
export function printablePlan(plan: ProvidersPlan): ProvidersPlan {
  for (const port of ['storage', 'auth', 'db', 'pubsub'] as const) {
    const { primary, shadow, reads } = plan[port];
    printableSpec(primary);
    if (shadow) printableSpec(shadow);
    printsAs(plan[port], () => ({ primary, ...(shadow ? { shadow } : {}), reads }));
  }
  const { storage, auth, db, pubsub, ...rest } = plan;
  return printsAs(plan, () => ({ storage, auth, db, pubsub, ...rest }));
}
