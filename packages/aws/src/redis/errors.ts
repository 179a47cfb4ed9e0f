import { type ErrorCode, networkErrorCode, SwitchyardError } from '@switchyard/core/adapter/pubsub';

// Reply errors that go away by themselves: a replica loading its dataset, a failover in progress,
// a full instance being evicted. https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors
const TRANSIENT_REPLIES = ['LOADING', 'BUSY', 'TRYAGAIN', 'CLUSTERDOWN', 'MASTERDOWN', 'READONLY', 'OOM'];

// ioredis reports these as plain Errors with fixed messages (lib/utils/index.ts, lib/Command.ts).
const CONNECTION_MESSAGES = [
  'Connection is closed',
  "Stream isn't writeable",
  'Command timed out',
  'Failed to refresh slots cache',
  'None of startup nodes',
];

/** What a Redis error means for the caller: the code, whether a retry can help, and what to say. */
function classify(error: unknown): { code: ErrorCode; retryable: boolean; message: string } {
  const name = (error as { name?: unknown } | null)?.name;
  const text = error instanceof Error ? error.message : String(error);
  if (/^(NOAUTH|WRONGPASS)\b/.test(text) || text.includes('invalid password') || text.includes('invalid username-password')) {
    return {
      code: 'CONFIG',
      retryable: false,
      message: 'Redis refused the credentials: check username and password (the ElastiCache AUTH token).',
    };
  }
  if (/^NOPERM\b/.test(text)) {
    return {
      code: 'FORBIDDEN',
      retryable: false,
      message: 'The Redis ACL user may not use this command or channel: allow the key prefix with `&<prefix>*`.',
    };
  }
  const errno = networkErrorCode(error);
  if (errno !== undefined) {
    return { code: 'UNAVAILABLE', retryable: true, message: `Redis is unreachable (${errno}); it will be retried automatically.` };
  }
  if (name === 'MaxRetriesPerRequestError' || name === 'ClusterAllFailedError' || CONNECTION_MESSAGES.some((m) => text.startsWith(m))) {
    return { code: 'UNAVAILABLE', retryable: true, message: `Redis is unavailable: ${text}` };
  }
  if (name === 'ReplyError') {
    const transient = TRANSIENT_REPLIES.some((prefix) => text.startsWith(prefix));
    return { code: 'UNAVAILABLE', retryable: transient, message: `Redis refused the command: ${text.slice(0, 200)}` };
  }
  return { code: 'UNAVAILABLE', retryable: true, message: `Redis call failed: ${text.slice(0, 200)}` };
}

/** Turns anything ioredis throws into a SwitchyardError, keeping the original as `cause`. */
export function toSwitchyardError(error: unknown, operation: string): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const { code, retryable, message } = classify(error);
  return new SwitchyardError({ code, retryable, message, cause: error, port: 'pubsub', provider: 'aws', operation });
}

/** True for errors a reconnect cannot fix, so waiting for the connection should stop at once. */
export function isFatalConnectionError(error: unknown): boolean {
  const mapped = classify(error);
  return mapped.code === 'CONFIG' || mapped.code === 'FORBIDDEN';
}

/** The error for any call after `close()`. */
export function closedError(operation: string): SwitchyardError {
  return new SwitchyardError({
    code: 'UNAVAILABLE',
    retryable: false,
    port: 'pubsub',
    provider: 'aws',
    operation,
    message: 'This RedisPubSub was closed; create a new one with createRedisPubSub().',
  });
}
