import type { PortName } from '@switchyard/core';
import type { Migration, Phase, ProviderName } from './migration.js';

/** Where reads go in each phase, per port: what the runbook was tested with. */
const READS: Record<PortName, Partial<Record<Phase, string>>> = {
  // Phase 2 compares each read with the shadow (divergence events); phase 3 serves what the new
  // primary lacks from the old one and copies it forward.
  storage: { 2: 'compare', 3: 'fallback' },
  // Phase 3: a user known only to the old provider is created at the new one on first sign-in.
  auth: { 3: 'fallback' },
  db: { 2: 'compare', 3: 'compare' },
  pubsub: {},
};

/** The variables of one phase; `undefined` means the variable must be unset (blank is read as unset). */
export function phaseVariables(migration: Pick<Migration, 'from' | 'to' | 'ports'>, phase: Phase): Record<string, string | undefined> {
  const { from, to } = migration;
  const sides: Record<Phase, [ProviderName, ProviderName | undefined]> = {
    1: [from, undefined],
    2: [from, to],
    3: [to, from],
    4: [to, undefined],
  };
  const [primary, shadow] = sides[phase];
  const variables: Record<string, string | undefined> = {};
  for (const port of migration.ports) {
    const name = `SWITCHYARD_${port.toUpperCase()}`;
    variables[name] = primary;
    variables[`${name}_SHADOW`] = shadow;
    variables[`${name}_READS`] = READS[port][phase];
  }
  if (migration.ports.includes('storage')) variables.SWITCHYARD_STORAGE_COPY_FORWARD = phase === 3 ? 'true' : undefined;
  return variables;
}

export type EnvFormat = 'dotenv' | 'shell' | 'json';

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** Prints the variables: dotenv (`NAME=` for unset: createProviders reads blank as unset), shell (`export`/`unset`) or JSON (null for unset). */
export function formatVariables(variables: Record<string, string | undefined>, format: EnvFormat): string {
  const entries = Object.entries(variables);
  if (format === 'json') return JSON.stringify(Object.fromEntries(entries.map(([k, v]) => [k, v ?? null])), null, 2);
  if (format === 'shell') return entries.map(([k, v]) => (v === undefined ? `unset ${k}` : `export ${k}=${quote(v)}`)).join('\n');
  return entries.map(([k, v]) => `${k}=${v ?? ''}`).join('\n');
}
