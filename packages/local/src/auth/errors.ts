import { type ErrorCode, SwitchyardError, type UnauthenticatedReason } from '@switchyard/core';

export function authError(operation: string, code: ErrorCode, message: string, cause?: unknown): SwitchyardError {
  return new SwitchyardError({ code, port: 'auth', provider: 'local', operation, message, cause });
}

export function refused(operation: string, reason: UnauthenticatedReason, message: string, cause?: unknown): SwitchyardError {
  return new SwitchyardError({ code: 'UNAUTHENTICATED', reason, port: 'auth', provider: 'local', operation, message, cause });
}
