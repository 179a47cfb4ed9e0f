import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';

/** The event EventBridge sends a schedule's target, for the local runner. */
export function scheduledEvent(time: Date, ruleArn = 'arn:aws:events:eu-west-1:123456789012:rule/local-runner'): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ruleArn.split(':')[4] ?? '123456789012',
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: ruleArn.split(':')[3] ?? 'eu-west-1',
    resources: [ruleArn],
    detail: {},
  };
}
