import { SwitchyardError } from '@switchyard/core/adapter/db';

/** The fields of an RDS-managed Secrets Manager secret that a connection needs. */
export interface DatabaseSecret {
  username: string;
  password: string;
  host?: string;
  port?: number;
  dbname?: string;
}

/** Fetches the secret's JSON string (`SecretString`). */
export type SecretFetcher = () => Promise<string | undefined>;

// Secrets Manager errors a retry cannot fix: the secret's id, the caller's IAM policy or the KMS
// key is wrong (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors).
const CONFIG_ERRORS: Record<string, string> = {
  ResourceNotFoundException: 'no such secret: check RDS_SECRET_ID (auth.secretId) and the region',
  AccessDeniedException: 'access denied: allow secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key)',
  DecryptionFailure: "the secret's KMS key cannot decrypt it: allow kms:Decrypt on that key",
  InvalidRequestException: 'the secret cannot be read (scheduled for deletion, or has no current version)',
  InvalidParameterException: 'the secret id is not valid',
  UnrecognizedClientException: 'the AWS credentials are not valid',
  InvalidSignatureException: 'the AWS credentials are not valid',
};

function fetchError(error: unknown, secretId: string): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const name = (error as { name?: unknown } | null)?.name;
  const problem = typeof name === 'string' ? CONFIG_ERRORS[name] : undefined;
  const base = { port: 'db' as const, provider: 'aws', operation: 'connect', cause: error };
  if (problem)
    return new SwitchyardError({ ...base, code: 'CONFIG', message: `Reading the database secret ${secretId} failed: ${problem}.` });
  if (name === 'ThrottlingException') {
    return new SwitchyardError({
      ...base,
      code: 'RATE_LIMITED',
      message: 'Secrets Manager throttled reading the database secret; retry later.',
    });
  }
  // Network failures, timeouts and 5xx: Secrets Manager is unreachable for now.
  return new SwitchyardError({
    ...base,
    code: 'UNAVAILABLE',
    retryable: true,
    message: `Secrets Manager could not be reached to read the database secret ${secretId}; retry later.`,
  });
}

/**
 * Caches the database secret and refetches it when asked to: after the password is rotated, the
 * next authentication failure invalidates the cache and the retry reads the new password.
 */
export class SecretCache {
  private current: Promise<DatabaseSecret> | undefined;

  constructor(
    private readonly fetchSecret: SecretFetcher,
    private readonly secretId = 'the database secret',
  ) {}

  get(): Promise<DatabaseSecret> {
    this.current ??= this.load().catch((error: unknown) => {
      this.current = undefined;
      throw error;
    });
    return this.current;
  }

  invalidate(): void {
    this.current = undefined;
  }

  private async load(): Promise<DatabaseSecret> {
    let text: string | undefined;
    try {
      text = await this.fetchSecret();
    } catch (error) {
      throw fetchError(error, this.secretId);
    }
    const parsed = (() => {
      try {
        return JSON.parse(text ?? '') as Partial<DatabaseSecret>;
      } catch {
        return undefined;
      }
    })();
    if (!parsed || typeof parsed.username !== 'string' || typeof parsed.password !== 'string') {
      throw new SwitchyardError({
        code: 'CONFIG',
        port: 'db',
        provider: 'aws',
        operation: 'connect',
        message: 'The database secret must be a JSON SecretString with "username" and "password" (the format RDS-managed secrets use).',
      });
    }
    return parsed as DatabaseSecret;
  }
}
