import { SwitchyardError } from '@switchyard/core';

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

/**
 * Caches the database secret and refetches it when asked to: after the password is rotated, the
 * next authentication failure invalidates the cache and the retry reads the new password.
 */
export class SecretCache {
  private current: Promise<DatabaseSecret> | undefined;

  constructor(private readonly fetchSecret: SecretFetcher) {}

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
    const text = await this.fetchSecret();
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
