import { SwitchyardError } from '@switchyard/core';

/**
 * Runs `call` again after a retryable SwitchyardError (an outage, a rate limit), up to `attempts`
 * times with a growing pause, so one blip does not leave an item for the next run.
 */
export async function withRetries<T>(call: () => Promise<T>, attempts = 4, pauseMs = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable = SwitchyardError.isInstance(error) && error.retryable;
      if (!retryable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs * 2 ** (attempt - 1)));
    }
  }
}
