import { randomBytes } from 'node:crypto';
import { SwitchyardError } from '@switchyard/core';
import { type ConfigProblem, type Env, EnvReader } from '@switchyard/core/adapter';
import { describeTargets } from './describe-targets.js';
import { type Container, definitionOf, type LiveTarget, readTarget, TARGETS } from './targets/index.js';

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

function refuse(message: string, details?: Record<string, unknown>): never {
  throw new SwitchyardError({ code: 'CONFIG', message: `The live tier refuses to run: ${message}`, operation: 'test:live', details });
}

/** A problem of one target: from its descriptor, or from the live tier's own checks. */
interface TargetProblem extends ConfigProblem {
  target: string;
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

function unguarded({ variable, kind, name, id, unprefixable }: Container, prefix: string, allow: ReadonlySet<string>) {
  if (allow.has(id)) return undefined;
  if (unprefixable) {
    return {
      variable,
      problem: `names the ${kind} "${id}", and ${unprefixable}`,
      expected: `a ${kind} made for testing: point it at one and add "${id}" to SWITCHYARD_LIVE_ALLOW`,
    };
  }
  if (name.startsWith(prefix)) return undefined;
  return {
    variable,
    problem: `names the ${kind} "${id}", which does not start with "${prefix}"`,
    expected: `a ${kind} made for testing whose name starts with the prefix, or, if this one holds nothing that matters, add "${id}" to SWITCHYARD_LIVE_ALLOW`,
  };
}

/**
 * Reads the live tier's settings and every listed target's variables (through its adapter's
 * descriptor), and checks that each place the suites will write into is a test one. Throws one
 * CONFIG error naming every problem; does no I/O.
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
  const problems: TargetProblem[] = [];
  const targets = names.map((name) => {
    const definition = definitionOf(name)!;
    const { options, problems: read } = readTarget(definition, env, prefix);
    // The places are checked once the variables naming them are right.
    const found = read.length > 0 ? read : definition.containers(options).flatMap((c) => unguarded(c, prefix, allow) ?? []);
    problems.push(...found.map((problem) => ({ target: name, ...problem })));
    return { name, port: definition.port, options } as LiveTarget;
  });
  if (problems.length > 0) {
    const lines = problems.map((p) => `- ${p.target}: ${p.variable} ${p.problem}; expected ${p.expected}`);
    refuse(`\n${lines.join('\n')}`, { problems });
  }
  return {
    prefix,
    runPrefix: `${prefix}${runId}-`,
    targets,
    unlisted: TARGETS.map((target) => target.name).filter((name) => !names.includes(name)),
  };
}
