import { type ErrorCode, type PortName, SwitchyardError, type UnauthenticatedReason } from '../errors.js';

export interface ErrorExtra {
  cause?: unknown;
  retryable?: boolean;
  reason?: UnauthenticatedReason;
  details?: Record<string, unknown>;
}

/** Error builders bound to one adapter's port and provider, so each call names only what differs. */
export interface AdapterErrors {
  error(operation: string, code: ErrorCode, message: string, extra?: ErrorExtra): SwitchyardError;
  /** A configuration mistake: not retryable, says what to change. */
  config(message: string, extra?: ErrorExtra & { operation?: string }): SwitchyardError;
  /** UNAUTHENTICATED with its reason (auth adapters). */
  refused(operation: string, reason: UnauthenticatedReason, message: string, cause?: unknown): SwitchyardError;
}

export function adapterErrors(port: PortName, provider: string): AdapterErrors {
  const error = (operation: string, code: ErrorCode, message: string, extra: ErrorExtra = {}) =>
    new SwitchyardError({ code, port, provider, operation, message, ...extra });
  return {
    error,
    config: (message, { operation = 'create', ...extra } = {}) => error(operation, 'CONFIG', message, extra),
    refused: (operation, reason, message, cause) => error(operation, 'UNAUTHENTICATED', message, { reason, cause }),
  };
}
