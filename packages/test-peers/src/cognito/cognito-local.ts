import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REGION = 'us-east-1';

export interface CognitoLocal {
  url: string;
  userPoolId: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const attribute = (Name: string, Mutable: boolean, AttributeDataType = 'String') => ({
  Name,
  AttributeDataType,
  DeveloperOnlyAttribute: false,
  Mutable,
  Required: false,
  ...(AttributeDataType === 'String' ? { StringAttributeConstraints: { MinLength: '0', MaxLength: '2048' } } : {}),
});

/**
 * Starts cognito-local (its own process, a temp directory, a free port) with one user pool whose
 * id has the regional format aws-jwt-verify requires (`us-east-1_…`; cognito-local's CreateUserPool
 * would make `local_…`), so the pool file is written before start. `TokenConfig.IssuerDomain`
 * makes the issuer `https://cognito-idp.us-east-1.amazonaws.com/<poolId>` as on AWS. The pool uses
 * usernames (no `UsernameAttributes`), the adapter's documented setup.
 */
export async function startCognitoLocal(): Promise<CognitoLocal> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-cognito-'));
  const userPoolId = `${REGION}_${randomBytes(6).toString('hex')}`;
  await mkdir(join(dir, '.cognito', 'db'), { recursive: true });
  await writeFile(
    join(dir, '.cognito', 'config.json'),
    JSON.stringify({
      TokenConfig: { IssuerDomain: `https://cognito-idp.${REGION}.amazonaws.com` },
      UserPoolDefaults: { UsernameAttributes: [] },
    }),
  );
  await writeFile(
    join(dir, '.cognito', 'db', `${userPoolId}.json`),
    JSON.stringify({
      Users: {},
      Options: {
        Id: userPoolId,
        Name: 'switchyard-test',
        UsernameAttributes: [],
        MfaConfiguration: 'OFF',
        SchemaAttributes: [
          attribute('sub', false),
          attribute('email', true),
          attribute('email_verified', true, 'Boolean'),
          attribute('custom:app_user_id', false),
          attribute('custom:metadata', true),
        ],
      },
    }),
  );
  const port = await freePort();
  const bin = join(dirname(createRequire(import.meta.url).resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
  const child: ChildProcess = spawn(process.execPath, [bin], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output = (output + chunk).slice(-4000);
  });
  child.stderr?.on('data', (chunk) => {
    output = (output + chunk).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cognito-local did not start within 30 s on ${url}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, userPoolId, stop };
}
