import { it } from 'vitest';

/**
 * A case that only applies when the adapter declares a capability. When it does not, the case
 * is reported as skipped with a "not applicable" note — never as passed.
 */
export function itWhen(
  name: string,
  capability: () => { declared: boolean; label: string },
  fn: () => Promise<void>,
  timeout?: number,
): void {
  it(
    name,
    async (context) => {
      const { declared, label } = capability();
      if (!declared) {
        context.skip(`not applicable: the adapter does not declare ${label}`);
        return;
      }
      await fn();
    },
    timeout,
  );
}
