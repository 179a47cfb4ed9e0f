import type { SwitchyardError } from '@switchyard/core/adapter/pubsub';
import { adapterErrors } from '@switchyard/core/adapter/pubsub';

/** A SwitchyardError from this adapter. */
export const realtimeError = adapterErrors('pubsub', 'supabase').error;

/** The error for any call after `close()`. */
export function closedError(operation: string): SwitchyardError {
  return realtimeError(operation, 'UNAVAILABLE', 'This SupabaseRealtime was closed; create a new one with createSupabaseRealtime().', {
    retryable: false,
  });
}

/**
 * Maps the REST broadcast endpoint's status codes
 * (https://supabase.com/docs/guides/realtime/broadcast#broadcast-using-the-rest-api; 202 is success).
 */
export function restError(status: number, operation: string): SwitchyardError {
  if (status === 401)
    return realtimeError(operation, 'CONFIG', 'Supabase Realtime refused the API key (401): check `key` (SUPABASE_SERVICE_ROLE_KEY).');
  if (status === 403) {
    return realtimeError(operation, 'FORBIDDEN', 'Supabase Realtime refused the broadcast (403): the key may not write to this channel.');
  }
  if (status === 429)
    return realtimeError(operation, 'RATE_LIMITED', "Supabase Realtime's messages-per-second quota is exhausted (429); retry later.");
  if (status === 413 || status === 422) {
    return realtimeError(
      operation,
      'INVALID_INPUT',
      `Supabase Realtime rejected the message (${status}): check its size against the plan's limit.`,
    );
  }
  return realtimeError(operation, 'UNAVAILABLE', `Supabase Realtime answered ${status} to a broadcast.`, { retryable: status >= 500 });
}

/** Maps a failed join (subscribe callback CHANNEL_ERROR / TIMED_OUT). */
export function joinError(status: string, cause: Error | undefined): SwitchyardError {
  if (status === 'CHANNEL_ERROR' && /unauthori[sz]ed|forbidden|permission|rls/i.test(cause?.message ?? '')) {
    return realtimeError(
      'subscribe',
      'FORBIDDEN',
      'Supabase Realtime refused to join the channel: check the key and the realtime.messages policies.',
      {
        cause,
      },
    );
  }
  const reason = status === 'TIMED_OUT' ? 'timed out' : 'failed';
  return realtimeError('subscribe', 'UNAVAILABLE', `Joining the Supabase Realtime channel ${reason}; the service may be unreachable.`, {
    cause,
  });
}
