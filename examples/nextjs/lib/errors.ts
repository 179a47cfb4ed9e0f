import { SwitchyardError } from '@switchyard/core';
import { statusFor } from 'community-app/shared';

/**
 * A route handler that answers a port's refusal with its HTTP status and `{error: {code, message}}`
 * (port messages never carry secrets); anything else is logged and answered with a generic 500.
 */
export function withErrors<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (SwitchyardError.isInstance(error)) {
        const status = statusFor(error.code);
        if (status >= 500) console.error('request failed', error);
        return Response.json(
          { error: { code: error.code, message: error.message, ...(error.reason ? { reason: error.reason } : {}) } },
          { status },
        );
      }
      console.error('unexpected error', error);
      return Response.json(
        { error: { code: 'INTERNAL', message: 'Something went wrong on the server; the details are in its log.' } },
        { status: 500 },
      );
    }
  };
}

export function invalid(message: string): SwitchyardError {
  return new SwitchyardError({ code: 'INVALID_INPUT', message });
}
