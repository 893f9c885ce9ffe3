import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import * as z from 'zod';
import { env } from '../config/env';

/** What a timed 86's schedule hands the availability timer when it fires. */
export const AvailabilityTimerEvent = z.object({ restaurantId: z.string(), itemId: z.string(), availableAgainAt: z.string() });
export type AvailabilityTimerEvent = z.infer<typeof AvailabilityTimerEvent>;

let client: SchedulerClient | undefined;

/**
 * A one-time EventBridge Scheduler schedule that invokes the availability timer at `availableAgainAt`
 * (costs nothing while it waits, deletes itself after it ran). The name is derived from the item and
 * the time, so a retried request finds its own schedule (ConflictException) and succeeds. A schedule
 * whose 86 was ended or changed meanwhile fires into a conditional write that no longer matches.
 */
export async function scheduleAvailableAgain(event: AvailabilityTimerEvent): Promise<void> {
  const { SCHEDULE_GROUP, AVAILABILITY_TIMER_ARN, SCHEDULER_ROLE_ARN, SCHEDULER_ENDPOINT } = env();
  if (!SCHEDULE_GROUP || !AVAILABILITY_TIMER_ARN || !SCHEDULER_ROLE_ARN) throw new Error('This function has no scheduler settings for timed 86s');
  client ??= new SchedulerClient(SCHEDULER_ENDPOINT ? { endpoint: SCHEDULER_ENDPOINT } : {});
  try {
    await client.send(
      new CreateScheduleCommand({
        Name: `back-${event.itemId}-${Date.parse(event.availableAgainAt) / 1000}`,
        GroupName: SCHEDULE_GROUP,
        // Whole seconds: the domain rounds availableAgainAt up to one.
        ScheduleExpression: `at(${event.availableAgainAt.slice(0, 19)})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: AVAILABILITY_TIMER_ARN,
          RoleArn: SCHEDULER_ROLE_ARN,
          Input: JSON.stringify(event),
          RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 3600 },
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConflictException) return;
    throw error;
  }
}
