import { SwitchyardError } from '@switchyard/core';
import type { ScheduledEvent } from 'aws-lambda';
import { computeWeekMatches, type MatchRun, weekOf } from 'community-app/shared';
import { cloudwatch, sharedProviders } from './providers.js';

/**
 * The week comes from the event's own time, not the clock: EventBridge may deliver late or twice,
 * and a retried invocation must compute the week that was scheduled.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
 */
function scheduledWeek(event: ScheduledEvent): string {
  const time = new Date(event?.time ?? Number.NaN);
  if (event?.source !== 'aws.events' || event['detail-type'] !== 'Scheduled Event' || Number.isNaN(time.getTime())) {
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      message: 'Expected an EventBridge "Scheduled Event" from aws.events with an ISO "time".',
    });
  }
  return weekOf(time);
}

/**
 * Computes the week's matches. Idempotent per week: a second delivery of the same event, or a
 * second run, changes nothing. Memory stays flat however many members there are: the matching
 * pages through them in the database.
 */
export async function handler(event: ScheduledEvent): Promise<MatchRun> {
  const week = scheduledWeek(event);
  try {
    const { db } = await sharedProviders();
    const run = await computeWeekMatches(db, { week });
    // One JSON line: CloudWatch Logs Insights can query it field by field.
    console.log(JSON.stringify({ message: 'weekly matches', eventId: event.id, ...run }));
    return run;
  } finally {
    // A frozen execution environment may never run again: the metrics leave with this invocation.
    cloudwatch.publish();
  }
}
