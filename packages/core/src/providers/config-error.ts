import { SwitchyardError } from '../errors.js';
import type { ConfigProblem } from './config.js';

/**
 * One CONFIG error listing every problem, each with what the variable should look like. The
 * `switchyard` command words its own the same way (`subject`, `operation`).
 */
export function configError(
  problems: readonly ConfigProblem[],
  { subject = 'Switchyard configuration', operation = 'createProviders' }: { subject?: string; operation?: string } = {},
): SwitchyardError {
  const lines = problems.map((p) => `- ${p.variable} ${p.problem}; expected ${p.expected}`);
  return new SwitchyardError({
    code: 'CONFIG',
    operation,
    message: `${subject} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    details: { problems: problems.map((p) => ({ ...p })) },
  });
}
