import { ArnFormat, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface MatchingJobStackProps extends StackProps {
  /**
   * The function's code: `dist/lambda` (`npm run build`), the bundled `index.mjs` with the adapter
   * packages createProviders imports by name at run time laid out under `node_modules/`.
   */
  code: lambda.Code;
  /** The function's variables: `await providerEnvironment(process.env)`, which checks them as the cold start will. */
  environment: Record<string, string>;
  /** Default: Mondays 06:00 UTC, so matches are there when people wake up in Europe. */
  schedule?: events.Schedule;
  /** The VPC of the database and Redis (RDS and ElastiCache are not reachable from outside it). */
  vpc?: ec2.IVpc;
  securityGroups?: ec2.ISecurityGroup[];
}

/** The weekly match job: one Lambda function, run by an EventBridge schedule. Nothing else. */
export class MatchingJobStack extends Stack {
  readonly function: lambda.Function;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: MatchingJobStackProps) {
    super(scope, id, props);
    const { environment } = props;

    this.function = new lambda.Function(this, 'Handler', {
      description: 'Computes the week’s friend matches (examples/matching-job)',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.code,
      environment,
      // The matching pages through members in SQL; the process holds one page at a time.
      memorySize: 512,
      timeout: Duration.minutes(10),
      // One run at a time: a second delivery of the event waits instead of racing the first.
      reservedConcurrentExecutions: 1,
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
      ...(props.vpc ? { vpc: props.vpc, securityGroups: props.securityGroups } : {}),
    });
    this.grantDatabase(environment);

    this.rule = new events.Rule(this, 'Weekly', {
      description: 'Weekly friend matches',
      schedule: props.schedule ?? events.Schedule.cron({ weekDay: 'MON', hour: '6', minute: '0' }),
      // The job is idempotent per week, so EventBridge may retry it safely.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
  }

  /** The database access RDS_AUTH asks for: an IAM token (rds-db:connect) or a Secrets Manager secret. */
  private grantDatabase(environment: Record<string, string>): void {
    if (environment.SWITCHYARD_DB !== 'aws') return;
    const auth = environment.RDS_AUTH ?? (environment.RDS_HOST ? 'iam' : undefined);
    if (auth === 'secret' && environment.RDS_SECRET_ID) {
      const arn = environment.RDS_SECRET_ID.startsWith('arn:')
        ? environment.RDS_SECRET_ID
        : Stack.of(this).formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${environment.RDS_SECRET_ID}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          });
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] }));
    } else if (auth === 'iam' && environment.RDS_USER) {
      // The user's resource is per DB instance (dbi-resource-id); `*` keeps the example deployable anywhere.
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['rds-db:connect'],
          resources: [
            Stack.of(this).formatArn({
              service: 'rds-db',
              resource: 'dbuser',
              resourceName: `*/${environment.RDS_USER}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
    }
  }
}
