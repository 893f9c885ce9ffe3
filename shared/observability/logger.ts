import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One Powertools logger per container. Handlers never log events, headers or bodies, so tokens,
 * PINs and passwords cannot reach the logs; the request id is the correlation id.
 */
export const logger = new Logger({ serviceName: 'qr-ordering' });
