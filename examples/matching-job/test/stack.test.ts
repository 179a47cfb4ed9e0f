import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { MatchingJobStack, type MatchingJobStackProps } from '../src/infra/matching-job-stack.js';
import { providerEnvironment } from '../src/infra/provider-environment.js';

/** The variables a team on AWS gives the app: every port on AWS, the database password in Secrets Manager. */
const AWS_PROVIDERS = {
  SWITCHYARD_STORAGE: 'aws',
  SWITCHYARD_AUTH: 'aws',
  SWITCHYARD_DB: 'aws',
  SWITCHYARD_PUBSUB: 'aws',
  AWS_REGION: 'eu-west-1',
  AWS_S3_BUCKET: 'community-photos',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
  COGNITO_CLIENT_ID: 'client123',
  RDS_HOST: 'community.cluster-abc.eu-west-1.rds.amazonaws.com',
  RDS_DATABASE: 'community',
  RDS_USER: 'matcher',
  RDS_AUTH: 'secret',
  RDS_SECRET_ID: 'community/matcher',
  REDIS_URL: 'rediss://community.abc.euw1.cache.amazonaws.com:6379',
  // Not the providers' business: must not reach the function.
  HOME: '/home/deployer',
};

/** The asset `npx cdk synth` packages by default (src/infra/app.ts); test/lambda-asset.test.ts runs it. */
const ASSET = fileURLToPath(new URL('../dist/lambda', import.meta.url));

describe('MatchingJobStack', () => {
  const env = { account: '123456789012', region: 'eu-west-1' };

  beforeAll(() => {
    // The function's Handler is `index.handler`: the file Lambda loads must be there.
    expect(existsSync(join(ASSET, 'index.mjs')), 'build the example first (npm test builds every package)').toBe(true);
  });

  /**
   * CDK's built-in CloudFormation validation (cfn-lint compiled to WebAssembly) costs about 10 s of
   * CPU per synth; `cdk synth` of the real app keeps it on.
   */
  const testApp = () => new App({ builtinCloudFormationValidation: false });

  async function synth(props: Partial<MatchingJobStackProps> = {}, app = testApp()): Promise<Template> {
    // An asset belongs to one stack: each stack gets a Code of its own.
    const stack = new MatchingJobStack(app, 'MatchingJob', {
      code: lambda.Code.fromAsset(ASSET),
      environment: await providerEnvironment(AWS_PROVIDERS),
      env,
      ...props,
    });
    return Template.fromStack(stack);
  }

  it('runs the handler on Node.js 22 with the database adapter’s variables and nothing else', async () => {
    const template = await synth();
    // The job opens only the database: the other ports' settings (and Lambda's reserved AWS_REGION) stay out.
    const expected = {
      SWITCHYARD_DB: 'aws',
      RDS_HOST: AWS_PROVIDERS.RDS_HOST,
      RDS_DATABASE: 'community',
      RDS_USER: 'matcher',
      RDS_AUTH: 'secret',
      RDS_SECRET_ID: 'community/matcher',
    };
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 600,
      ReservedConcurrentExecutions: 1,
      Environment: { Variables: expected },
    });
    const variables = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(Object.keys(expected).sort());
  });

  it('schedules it every Monday at 06:00 UTC through EventBridge, with retries', async () => {
    const template = await synth();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 ? * MON *)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Handler'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
  });

  it('lets the function read only its database secret', async () => {
    (await synth()).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'secretsmanager:GetSecretValue',
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:123456789012:secret:community/matcher-??????'],
              ],
            },
          }),
        ]),
      },
    });
  });

  it('places the function in the database’s VPC when given one', async () => {
    const app = testApp();
    const network = new Stack(app, 'Network', { env });
    const vpc = new ec2.Vpc(network, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    (await synth({ vpc }, app)).hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
    });
  });

  it('refuses at synth what would fail at the first Monday, listing every problem', async () => {
    const { RDS_SECRET_ID: _secret, ...missingSecret } = AWS_PROVIDERS;
    const both = providerEnvironment({ ...missingSecret, SWITCHYARD_STORGE: 'aws' });
    await expect(both).rejects.toThrow(/RDS_SECRET_ID is not set/);
    await expect(both).rejects.toThrow(/SWITCHYARD_STORGE is not a Switchyard variable \(did you mean SWITCHYARD_STORAGE\?\)/);
    await expect(providerEnvironment({ ...AWS_PROVIDERS, SWITCHYARD_DB: 'local' })).rejects.toThrow(/SWITCHYARD_DB is local/);
    await expect(providerEnvironment({ ...AWS_PROVIDERS, RDS_AUTH: 'password', RDS_PASSWORD: 'hunter2' })).rejects.toThrow(
      /RDS_PASSWORD would be readable/,
    );
    await expect(
      providerEnvironment({ SWITCHYARD_DB: 'aws', DATABASE_URL: 'postgres://matcher:hunter2@db.internal:5432/community' }),
    ).rejects.toThrow(/DATABASE_URL would be readable/);
  });
});
