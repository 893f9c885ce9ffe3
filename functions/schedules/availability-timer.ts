import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { endTimed86 } from '../../shared/menu/menu';
import { AvailabilityTimerEvent } from '../../shared/menu/timers';
import { logger } from '../../shared/observability/logger';

/** Invoked by a timed 86's one-time schedule: the item is available again (guests hear it through the stream). */
export const handler = middy<unknown, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event) => endTimed86(AvailabilityTimerEvent.parse(event), new Date()));
