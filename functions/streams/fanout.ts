import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../shared/observability/logger';
import { publishMetrics } from '../../shared/observability/metrics';
import { fanoutPoster } from '../../shared/realtime/poster';
import { processStreamRecords } from '../../shared/realtime/stream';

/** DynamoDB Streams → WebSocket messages, with partial batch failures reported. */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler((event) => processStreamRecords(event.Records, fanoutPoster()));
