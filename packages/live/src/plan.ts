import { randomBytes } from 'node:crypto';
import { SwitchyardError } from '@switchyard/core';
import { type Env, EnvReader } from './env.js';
import { type Container, definitionOf, type LiveTarget, TARGETS } from './targets/index.js';

/** What a live run will do, decided from the environment before any I/O. */
export interface LivePlan {
  /** SWITCHYARD_LIVE_PREFIX: everything carrying it belongs to the live tier and may be swept. */
  prefix: string;
  /** The prefix plus this run's id: every name the suites write starts with it. */
  runPrefix: string;
  targets: LiveTarget[];
  /** Known targets that were not listed, so the summary can say what did not run. */
  unlisted: string[];
}

/**
 * Lowercase letters, digits and hyphens (it goes into bucket names, emails, table names and Redis
 * keys), ending in a hyphen, and saying "test" so that a production name cannot pass for one.
 */
const PREFIX = /^[a-z0-9][a-z0-9-]{2,38}-$/;

function refuse(message: string): never {
  throw new SwitchyardError({ code: 'CONFIG', message: `The live tier refuses to run: ${message}`, operation: 'test:live' });
}

/** Every known target, with what it opens and needs: the answer to "what can I run?". */
export function describeTargets(): string {
  const width = Math.max(...TARGETS.map((target) => target.name.length));
  const lines = TARGETS.map(
    (target) =>
      `  ${target.name.padEnd(width)}  ${target.port}: ${target.adapter}\n  ${' '.repeat(width)}  needs ${target.required}\n  ${' '.repeat(width)}  reads ${target.optional}`,
  );
  return lines.join('\n');
}

function listed(env: EnvReader): string[] {
  const value = env.optional('SWITCHYARD_LIVE_TARGETS');
  const names = [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) {
    refuse(
      `SWITCHYARD_LIVE_TARGETS names no target, so nothing would be checked. List the targets to run, comma-separated, e.g. SWITCHYARD_LIVE_TARGETS=aws-s3,aws-rds. The targets:\n${describeTargets()}`,
    );
  }
  const unknown = names.filter((name) => !definitionOf(name));
  if (unknown.length > 0) {
    refuse(`SWITCHYARD_LIVE_TARGETS lists ${unknown.map((name) => `${name} (unknown)`).join(', ')}. The targets:\n${describeTargets()}`);
  }
  return names;
}

function prefixOf(env: EnvReader): string {
  const prefix = env.optional('SWITCHYARD_LIVE_PREFIX');
  if (prefix === undefined) {
    refuse(
      'SWITCHYARD_LIVE_PREFIX is not set. Set it to the test prefix every name the suites write will carry, e.g. switchyard-test-; the bucket and database names must start with it too.',
    );
  }
  if (!PREFIX.test(prefix) || !prefix.includes('test')) {
    refuse(
      `SWITCHYARD_LIVE_PREFIX is "${prefix}": use 4 to 40 lowercase letters, digits and hyphens that contain "test" and end in "-", e.g. switchyard-test-.`,
    );
  }
  return prefix;
}

function unguarded(container: Container, prefix: string, allow: ReadonlySet<string>): string | undefined {
  if (allow.has(container.id)) return undefined;
  if (container.unprefixable) {
    return (
      `${container.variable} names the ${container.kind} "${container.id}", and ${container.unprefixable}. ` +
      `Point it at a ${container.kind} made for testing and add "${container.id}" to SWITCHYARD_LIVE_ALLOW.`
    );
  }
  if (container.name.startsWith(prefix)) return undefined;
  return (
    `${container.variable} names the ${container.kind} "${container.id}", which does not start with "${prefix}". ` +
    `Point it at a ${container.kind} made for testing whose name starts with the prefix, or, if this one holds nothing that matters, ` +
    `add "${container.id}" to SWITCHYARD_LIVE_ALLOW.`
  );
}

/**
 * Reads the live tier's settings and every listed target's variables, and checks that each place
 * the suites will write into is a test one. Throws one CONFIG error naming every problem; does no I/O.
 */
export function planLiveRun(env: Env, runId = randomBytes(4).toString('hex')): LivePlan {
  const reader = new EnvReader(env);
  const names = listed(reader);
  const prefix = prefixOf(reader);
  const allow = new Set(
    (reader.optional('SWITCHYARD_LIVE_ALLOW') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
  const problems: string[] = [];
  const targets = names.map((name) => {
    const definition = definitionOf(name)!;
    const targetEnv = new EnvReader(env);
    const options = definition.read({ env: targetEnv, prefix });
    const found =
      targetEnv.problems.length > 0 ? targetEnv.problems : definition.containers(options).map((c) => unguarded(c, prefix, allow));
    for (const problem of found) if (problem) problems.push(`${name}: ${problem}`);
    return { name, port: definition.port, options } as LiveTarget;
  });
  if (problems.length > 0) refuse(`\n- ${problems.join('\n- ')}`);
  return {
    prefix,
    runPrefix: `${prefix}${runId}-`,
    targets,
    unlisted: TARGETS.map((target) => target.name).filter((name) => !names.includes(name)),
  };
}
