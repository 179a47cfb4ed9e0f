import type { CognitoAuthOptions } from '@switchyard/aws/cognito';
import type { SupabaseAuthOptions } from '@switchyard/supabase/auth';
import { awsCredentials, type TargetDefinition } from './definition.js';

const HTTP = ['http:', 'https:'];

export const awsCognito: TargetDefinition<'aws-cognito', CognitoAuthOptions> = {
  name: 'aws-cognito',
  port: 'auth',
  adapter: 'createCognitoAuth (@switchyard/aws/cognito), admin cases only',
  required: 'AWS_REGION, COGNITO_USER_POOL_ID (listed in SWITCHYARD_LIVE_ALLOW), COGNITO_CLIENT_ID',
  optional:
    'COGNITO_ENDPOINT, COGNITO_CLIENT_SECRET, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), COGNITO_REQUEST_TIMEOUT_MS',
  read({ env }) {
    const clientSecret = env.optional('COGNITO_CLIENT_SECRET');
    const endpoint =
      env.optional('COGNITO_ENDPOINT') === undefined ? undefined : env.url('COGNITO_ENDPOINT', HTTP, 'a Cognito-compatible endpoint URL');
    const credentials = awsCredentials(env);
    const requestTimeoutMs = env.wholeNumber('COGNITO_REQUEST_TIMEOUT_MS', 'milliseconds one Cognito call may take');
    return {
      region: env.required('AWS_REGION', 'an AWS region such as eu-west-1'),
      userPoolId: env.required('COGNITO_USER_POOL_ID', 'the id of a test user pool, e.g. eu-west-1_AbCdEf123'),
      clientId: env.required('COGNITO_CLIENT_ID', 'an app client id of that pool'),
      // The admin cases never sign in, so the flow is only what the adapter requires to open.
      signIn: 'email-otp',
      ...(clientSecret ? { clientSecret } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    };
  },
  containers: (options) => [
    {
      variable: 'COGNITO_USER_POOL_ID',
      kind: 'user pool',
      // A pool id is `<region>_<random>`, and the pool's name can only be read over the network:
      // nothing checkable before I/O can carry the prefix, so the id must be allowed by name.
      name: '',
      id: options.userPoolId,
      unprefixable: 'a user pool id cannot carry the prefix',
    },
  ],
};

export const supabaseAuth: TargetDefinition<'supabase-auth', SupabaseAuthOptions> = {
  name: 'supabase-auth',
  port: 'auth',
  adapter: 'createSupabaseAuth (@switchyard/supabase/auth), admin cases only',
  required: 'SUPABASE_URL (its host listed in SWITCHYARD_LIVE_ALLOW), SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY',
  optional: 'SUPABASE_AUTH_REQUEST_TIMEOUT_MS',
  read({ env }) {
    const requestTimeoutMs = env.wholeNumber('SUPABASE_AUTH_REQUEST_TIMEOUT_MS', 'milliseconds one Auth API call may take');
    return {
      url: env.url('SUPABASE_URL', HTTP, 'the project URL, e.g. https://abcdefgh.supabase.co'),
      anonKey: env.required('SUPABASE_ANON_KEY', 'the anon key from the project API settings'),
      serviceRoleKey: env.required('SUPABASE_SERVICE_ROLE_KEY', 'the service_role key from the project API settings'),
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    };
  },
  containers(options) {
    const host = URL.canParse(options.url) ? new URL(options.url).host : '';
    return [{ variable: 'SUPABASE_URL', kind: 'Supabase project', name: '', id: host, unprefixable: "a project's host is its random ref" }];
  },
};
