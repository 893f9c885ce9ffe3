import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

/**
 * Business metrics as CloudWatch Embedded Metric Format, one namespace per stage
 * (POWERTOOLS_METRICS_NAMESPACE), published at the end of the invocation that counted them.
 */
const metrics = new Metrics({ serviceName: 'qr-ordering' });
let counted = false;

export type MetricName =
  | 'OrdersPlaced'
  | 'OrderPlacementFailed'
  | 'PinFailures'
  | 'PinBlocks'
  | 'SessionsGuarded'
  | 'LoginBlocks'
  | 'FanoutMessages'
  | 'FanoutGone'
  | 'FanoutFailures'
  | 'FanoutRecordsCoalesced'
  | 'FanoutSpreadInvocations';

export function count(name: MetricName, value = 1): void {
  if (value <= 0) return;
  metrics.addMetric(name, MetricUnit.Count, value);
  counted = true;
}

const publish = () => {
  if (!counted) return;
  counted = false;
  metrics.publishStoredMetrics();
};

/**
 * Publishes what the invocation counted, whatever its outcome. An invocation that counted nothing
 * prints nothing (Powertools' own middleware warns "No application metrics to publish" on each).
 */
export const publishMetrics = (): MiddlewareObj => ({ after: publish, onError: publish });
