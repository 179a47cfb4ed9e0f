import type { EnvReader } from '@switchyard/core/adapter/descriptor';
import { optional } from './read.js';

/** Static AWS credentials; without them the SDK's default chain (environment, profile, role) is used. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const CHAIN = 'leave unset to use the default credential chain (role, profile)';

/** The three variables every AWS client reads. The key id is an identifier, not a secret (AWS shows it in logs and consoles). */
export const credentialSettings = {
  accessKeyId: optional('AWS_ACCESS_KEY_ID', { description: `Static access key id; ${CHAIN}.`, example: 'AKIAIOSFODNN7EXAMPLE' }),
  secretAccessKey: optional('AWS_SECRET_ACCESS_KEY', {
    description: 'The secret of AWS_ACCESS_KEY_ID.',
    example: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    required: 'when AWS_ACCESS_KEY_ID is set',
    secret: true,
  }),
  sessionToken: optional('AWS_SESSION_TOKEN', {
    description: 'Session token of temporary credentials.',
    example: 'IQoJb3JpZ2luX2Vj…',
    secret: true,
  }),
};

/** Both halves of the key pair or neither (the default chain); the session token only with them. */
export function awsCredentials(
  values: { accessKeyId: string | undefined; secretAccessKey: string | undefined; sessionToken: string | undefined },
  env: EnvReader,
): AwsCredentials | undefined {
  const { accessKeyId, secretAccessKey, sessionToken } = values;
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY';
    env.report(
      missing,
      'is not set while its pair is',
      'both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (to use the default credential chain)',
    );
    return undefined;
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
