/** Every failure a port can report. Adapters map provider errors onto these codes. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'UNSUPPORTED'
  | 'CONFIG';

/** Why a credential was refused: it ran out, it was never valid, or it was withdrawn or already used. */
export type UnauthenticatedReason = 'expired' | 'invalid' | 'revoked';

export type PortName = 'storage' | 'auth' | 'db' | 'pubsub';

export interface SwitchyardErrorOptions {
  /** What went wrong, and what to do about it. Never a secret, token or signed URL. */
  message: string;
  code: ErrorCode;
  port?: PortName | undefined;
  /** The adapter's provider, for example `local`, `aws`, `supabase`. */
  provider?: string | undefined;
  /** The port method that failed, for example `put` or `verifyAccessToken`. */
  operation?: string | undefined;
  /** True when the same call may succeed if tried again later. Defaults by code. */
  retryable?: boolean | undefined;
  /** For `UNAUTHENTICATED` only. */
  reason?: UnauthenticatedReason | undefined;
  /** The provider's original error. */
  cause?: unknown;
  /** Machine-readable extras, for example the keys a batch delete could not remove. */
  details?: Readonly<Record<string, unknown>> | undefined;
}

// A registry-wide symbol, so that two copies of this package (monorepos, Lambda bundles)
// still recognise each other's errors, as vercel/ai does with its AI SDK errors.
const marker = Symbol.for('switchyard.error');

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'UNAVAILABLE']);

/** The only error type a port method throws. */
export class SwitchyardError extends Error {
  /** Marks the instance for `isInstance`. */
  readonly [marker] = true;
  override readonly name = 'SwitchyardError';
  readonly code: ErrorCode;
  readonly port: PortName | undefined;
  readonly provider: string | undefined;
  readonly operation: string | undefined;
  readonly retryable: boolean;
  readonly reason: UnauthenticatedReason | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(options: SwitchyardErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.port = options.port;
    this.provider = options.provider;
    this.operation = options.operation;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(options.code);
    this.reason = options.reason;
    this.details = options.details;
  }

  /** `instanceof` that also works across duplicate installs of `@switchyard/core`. */
  static isInstance(error: unknown): error is SwitchyardError {
    return typeof error === 'object' && error !== null && marker in error && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** True when `error` is a SwitchyardError with this code. */
  static hasCode(error: unknown, code: ErrorCode): error is SwitchyardError {
    return SwitchyardError.isInstance(error) && error.code === code;
  }

  /**
   * What `JSON.stringify` prints: everything a caller or a log needs to react, and nothing a
   * provider error might carry (request headers, signed URLs), so `cause` is left out.
   */
  toJSON(): SwitchyardErrorJson {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.port === undefined ? {} : { port: this.port }),
      ...(this.provider === undefined ? {} : { provider: this.provider }),
      ...(this.operation === undefined ? {} : { operation: this.operation }),
      retryable: this.retryable,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** The JSON form of a SwitchyardError (see `toJSON`). */
export interface SwitchyardErrorJson {
  name: 'SwitchyardError';
  code: ErrorCode;
  message: string;
  reason?: UnauthenticatedReason;
  port?: PortName;
  provider?: string;
  operation?: string;
  retryable: boolean;
  details?: Readonly<Record<string, unknown>>;
}

/** One key a batch delete could not remove, as every adapter lists it in `details.failed`. */
export interface DeleteFailure {
  key: string;
  /** What removing this key alone would have thrown. */
  code: ErrorCode;
  message: string;
}

/**
 * The one error a batch delete throws when keys were left behind: `details.failed` lists each of
 * them. The error's code is theirs when they agree (so a permission problem is not retryable), else
 * UNAVAILABLE; it is retryable only when every failure is.
 */
export function deleteFailed(
  context: Omit<ErrorContext, 'port' | 'operation'>,
  failed: readonly DeleteFailure[],
  total: number,
  cause?: unknown,
): SwitchyardError {
  const codes = new Set(failed.map((item) => item.code));
  const [only] = codes;
  const code: ErrorCode = codes.size === 1 && only ? only : 'UNAVAILABLE';
  return new SwitchyardError({
    code,
    port: 'storage',
    provider: context.provider,
    operation: 'delete',
    retryable: failed.every((item) => RETRYABLE_BY_DEFAULT.has(item.code)),
    cause,
    details: { failed: failed.map(({ key, code, message }) => ({ key, code, message })) },
    message: `${failed.length} of ${total} objects could not be deleted (${[...codes].join(', ')}); see details.failed.`,
  });
}

/** Where an error came from; adapters keep one of these and spread it into each error. */
export interface ErrorContext {
  port: PortName;
  provider: string;
  operation?: string;
}

/** Thrown by adapters for a method whose capability they do not declare. */
export function unsupported(context: ErrorContext, capability: string): SwitchyardError {
  return new SwitchyardError({
    ...context,
    code: 'UNSUPPORTED',
    message: `${context.provider} ${context.port} does not support ${capability}; check the adapter's capabilities before calling ${context.operation ?? 'this method'}`,
  });
}
