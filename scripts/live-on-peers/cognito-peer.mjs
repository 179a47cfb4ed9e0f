// The Cognito peer as a running peer of live-on-peers: cognito.ts in its own node process (a
// TypeScript file, hence --experimental-transform-types; the peer itself is @switchyard/test-peers/cognito, built).
import { spawn } from 'node:child_process';
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';

const SCRIPT = new URL('./cognito.ts', import.meta.url).pathname;

/** Starts the peer; resolves once it has printed its settings, which become `env`. */
export function startCognito() {
  const child = spawn(process.execPath, ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', SCRIPT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      output = (output + chunk).slice(-4000);
    });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n').find((text) => text.startsWith('{'));
      if (line && output.includes('\n', output.indexOf(line))) resolve({ name: 'cognito', env: JSON.parse(line), stop });
    });
    child.once('error', reject);
    exited.then((code) => reject(new Error(`the Cognito peer exited with ${code}:\n${output}`)));
  });
}

/** The users of the peer's pool whose email starts with `prefix`. */
export async function cognitoUsers(env, prefix) {
  const client = new CognitoIdentityProviderClient({
    region: env.AWS_REGION,
    endpoint: env.COGNITO_ENDPOINT,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const found = [];
  let token;
  try {
    do {
      const page = await client.send(new ListUsersCommand({ UserPoolId: env.COGNITO_USER_POOL_ID, Limit: 60, PaginationToken: token }));
      for (const user of page.Users ?? []) {
        const email = user.Attributes?.find((attribute) => attribute.Name === 'email')?.Value ?? '';
        if (email.startsWith(prefix)) found.push(email);
      }
      token = page.PaginationToken;
    } while (token);
  } finally {
    client.destroy();
  }
  return found;
}
