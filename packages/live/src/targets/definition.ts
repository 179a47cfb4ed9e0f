import type { EnvReader } from '../env.js';

/** The ports the live tier has suites for. */
export type LivePort = 'storage' | 'auth' | 'db' | 'pubsub';

/**
 * A place the suite writes into: a bucket, a database, a Redis server or key space. Its name must
 * start with the live prefix, or its `id` be listed in SWITCHYARD_LIVE_ALLOW.
 */
export interface Container {
  /** The variable that names it, for the refusal. */
  variable: string;
  /** What it is, e.g. `bucket`. */
  kind: string;
  /** What must start with the prefix. */
  name: string;
  /** What SWITCHYARD_LIVE_ALLOW must list to accept it without the prefix. */
  id: string;
  /** Why nothing of it checkable before any I/O can carry the prefix, when so: only the allow-list accepts it. */
  unprefixable?: string;
}

/** What a target reads from the environment, given the live prefix. */
export interface TargetContext {
  env: EnvReader;
  prefix: string;
}

export interface TargetDefinition<Name extends string, Options> {
  name: Name;
  port: LivePort;
  /** The adapter it opens, for the target list. */
  adapter: string;
  /** The variables it needs, and the optional ones it reads. */
  required: string;
  optional: string;
  read(context: TargetContext): Options;
  containers(options: Options): Container[];
}

/** Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or undefined for the SDK's default chain. */
export function awsCredentials(env: EnvReader): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
  const accessKeyId = env.optional('AWS_ACCESS_KEY_ID');
  const secretAccessKey = env.optional('AWS_SECRET_ACCESS_KEY');
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    env.report(
      accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY',
      'is not set while its pair is',
      'both or neither',
    );
    return undefined;
  }
  const sessionToken = env.optional('AWS_SESSION_TOKEN');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** A PostgreSQL connection URL's host and database name, or undefined when it does not parse. */
export function databaseOf(connectionString: string): { host: string; database: string } | undefined {
  try {
    const url = new URL(connectionString);
    return { host: url.hostname, database: decodeURIComponent(url.pathname.replace(/^\//, '')) };
  } catch {
    return undefined;
  }
}
