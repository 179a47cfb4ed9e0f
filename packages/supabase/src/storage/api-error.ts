/**
 * A refusal from the Storage API. storage-api answers most errors with HTTP 400 and the true status
 * in the body's `statusCode` (`{"statusCode":"404","code":"NoSuchKey",...}`; src/internal/errors in
 * supabase/storage), a few with the true HTTP status (416 for a range). Kept as the `cause` of the
 * SwitchyardError it maps to; it holds nothing secret.
 */
export class StorageApiError extends Error {
  override readonly name = 'StorageApiError';
  constructor(
    /** The status line's code. */
    readonly httpStatus: number,
    /** The true status: the body's `statusCode` where it holds one, else the status line's. */
    readonly status: number,
    /** storage-api's error code (`NoSuchKey`, `NoSuchBucket`, `KeyAlreadyExists`, `AccessDenied`...). */
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}
