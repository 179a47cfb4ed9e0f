import { type ErrorCode, SwitchyardError } from '@switchyard/core/adapter';

/**
 * What a failed filesystem call means to the caller of a storage method (errno codes from
 * https://man7.org/linux/man-pages/man3/errno.3.html):
 * - EACCES, EPERM: this process may not touch that file: FORBIDDEN, as a provider's access
 *   denied is; retrying changes nothing until someone changes the permissions.
 * - EROFS: the directory is on a read-only filesystem. CONFIG, not FORBIDDEN: no permission on
 *   any key would help; the deployment put `directory` somewhere unwritable (a read-only
 *   container root, a Lambda's code folder) and must point it elsewhere.
 * - everything else (EBUSY, EAGAIN, EMFILE/ENFILE, EINTR, EIO, ENOSPC, ...): UNAVAILABLE and
 *   retryable, as an outage of a remote provider is: busy files, exhausted descriptors or a full
 *   disk clear by themselves or by an operator, without the caller changing its request.
 */
export function fsErrorCode(error: unknown): ErrorCode {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'FORBIDDEN';
    case 'EROFS':
      return 'CONFIG';
    default:
      return 'UNAVAILABLE';
  }
}

/** A failed filesystem call as the error a storage method throws, keeping it as `cause`. */
export function fsFailure(operation: string, cause: unknown): SwitchyardError {
  return new SwitchyardError({
    code: fsErrorCode(cause),
    port: 'storage',
    provider: 'local',
    operation,
    cause,
    message: `Local storage could not ${operation}: ${(cause as Error)?.message ?? String(cause)}`,
  });
}
