import { parseProvidersEnv } from '@switchyard/core';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Variables that must not sit in a function's configuration in plain text: anyone who can read the
 * function can read them. RDS_AUTH=iam or RDS_AUTH=secret (Secrets Manager) replace them.
 */
const SECRETS = [
  'RDS_PASSWORD',
  'SUPABASE_SERVICE_ROLE_KEY',
  'SUPABASE_JWT_SECRET',
  'COGNITO_CLIENT_SECRET',
  'AWS_CLOUDFRONT_PRIVATE_KEY',
  'SWITCHYARD_LOCAL_SECRET',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SESSION_TOKEN',
];

/**
 * Lambda sets these itself and refuses a function that sets them
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
const RESERVED = ['AWS_REGION', 'AWS_DEFAULT_REGION'];

/** The only folder a Lambda function can write to. */
const LAMBDA_LOCAL_DIR = '/tmp/switchyard';

/**
 * The variables `createProviders` reads for this configuration, found by reading it through a
 * proxy that notes each name asked for: core has no list per adapter (see the README).
 */
function variablesRead(env: Env): { names: Set<string>; problems: string[] } {
  const names = new Set<string>();
  const watched = new Proxy(env, {
    get(target, name, receiver) {
      if (typeof name === 'string') names.add(name);
      return Reflect.get(target, name, receiver);
    },
  });
  const { problems } = parseProvidersEnv(watched);
  return { names, problems: problems.map((p) => `${p.variable} ${p.problem} (expected ${p.expected})`) };
}

/**
 * The match job's environment: exactly the providers' variables from `env`, checked the way
 * createProviders will check them at the function's cold start, so a bad configuration fails the
 * synth instead of the first Monday. The job needs a database that outlives the function, and no
 * secrets in plain text.
 */
export function providerEnvironment(env: Env): Record<string, string> {
  const { names, problems } = variablesRead(env);
  if ((env.SWITCHYARD_DB ?? 'local').trim().toLowerCase() === 'local') {
    problems.push('SWITCHYARD_DB is local (PGlite in /tmp, empty at every cold start) (expected aws or supabase)');
  }
  const secrets = SECRETS.filter((name) => env[name]);
  if (secrets.length > 0)
    problems.push(`${secrets.join(', ')} would be readable in the function's configuration (expected RDS_AUTH=iam or RDS_AUTH=secret)`);
  const url = env.DATABASE_URL ?? env.SUPABASE_DB_URL;
  if (url && /^[a-z]+:\/\/[^/]*:[^/@]*@/i.test(url))
    problems.push('DATABASE_URL carries a password (expected RDS_AUTH=iam or RDS_AUTH=secret)');
  if (problems.length > 0) throw new Error(`The match job's environment is not deployable:\n- ${problems.join('\n- ')}`);

  const environment: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '' && !RESERVED.includes(name)) environment[name] = value;
  }
  // createProviders opens all four ports; those left on `local` need a writable folder.
  environment.SWITCHYARD_LOCAL_DIR = LAMBDA_LOCAL_DIR;
  return environment;
}
