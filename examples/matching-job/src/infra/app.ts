import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MatchingJobStack } from './matching-job-stack.js';
import { providerEnvironment } from './provider-environment.js';

// `npx cdk synth` (cdk.json runs dist/infra.js): the stack from this shell's provider variables.
// The code is dist/lambda, which `npm run build` bundles (scripts/bundle-lambda.mjs); MATCHING_JOB_ASSET
// names another folder holding index.mjs and the adapter packages it imports.
const app = new App();
new MatchingJobStack(app, 'MatchingJob', {
  code: lambda.Code.fromAsset(process.env.MATCHING_JOB_ASSET ?? 'dist/lambda'),
  environment: await providerEnvironment(process.env),
});
app.synth();
