import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Business metrics as CloudWatch Embedded Metric Format, one namespace per stage
 * (POWERTOOLS_METRICS_NAMESPACE). Handlers publish them at the end of each invocation.
 */
export const metrics = new Metrics({ serviceName: 'qr-ordering' });

export type MetricName =
  | 'OrdersPlaced'
  | 'OrderPlacementFailed'
  | 'PinFailures'
  | 'PinBlocks'
  | 'LoginBlocks'
  | 'FanoutMessages'
  | 'FanoutGone'
  | 'FanoutFailures';

export function count(name: MetricName, value = 1): void {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}
