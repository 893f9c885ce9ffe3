import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../../shared/observability/logger';
import { PostBatch, postBatch } from '../../shared/realtime/posting';
import type { PostOutcome } from '../../shared/realtime/posting';
import { managementApiPoster } from '../../shared/realtime/poster';

/** One share of a big channel's messages, handed over by the fan-out, which awaits the outcome. */
export const handler = middy<unknown, PostOutcome>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event) => postBatch(PostBatch.parse(event), managementApiPoster()));
