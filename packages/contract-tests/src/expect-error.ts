import { type ErrorCode, SwitchyardError, type UnauthenticatedReason } from '@switchyard/core/adapter';
import { expect } from 'vitest';

/** Awaits `action`, asserting it rejects with a SwitchyardError of `code` (and `reason`), and returns the error. */
export async function expectSwitchyardError(
  action: Promise<unknown> | (() => Promise<unknown>),
  code: ErrorCode,
  reason?: UnauthenticatedReason,
): Promise<SwitchyardError> {
  let caught: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a SwitchyardError ${code}, but the call succeeded`).toBeDefined();
  if (!SwitchyardError.isInstance(caught)) {
    throw new Error(`expected a SwitchyardError ${code}, got ${String(caught)}`, { cause: caught });
  }
  expect(caught.code, caught.message).toBe(code);
  if (reason) expect(caught.reason, caught.message).toBe(reason);
  return caught;
}
