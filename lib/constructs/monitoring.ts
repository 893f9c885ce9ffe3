import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config';

/** One alarm: fires when the metric is above the threshold for one period. */
export interface AlarmSpec {
  name: string;
  metric: IMetric;
  threshold: number;
  description: string;
}

export interface MonitoringProps {
  config: StageConfig;
  /** The stage's alarm topic (the data stack's), which pages whoever is subscribed. */
  topic: ITopic;
  /** Names this stack's dashboard: `qr-ordering-<stage>-<dashboard>`. */
  dashboard: string;
  /** Every function of the stack: any error or throttle alarms. */
  functions: IFunction[];
  alarms: AlarmSpec[];
  /** Business metrics (Powertools EMF) graphed beside the alarms, by widget title. */
  businessMetrics: Record<string, string[]>;
}

/** Lambda's alarm math takes at most 10 metrics per expression: one alarm per group of functions. */
const METRICS_PER_EXPRESSION = 10;

export const FIVE_MINUTES = Duration.minutes(5);

/** A stack's alarms, all sent to the stage's topic, and a dashboard with the same figures plus the business metrics. */
export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    const alarm = ({ name, metric, threshold, description }: AlarmSpec) => {
      const created = new Alarm(this, name, {
        alarmName: `qr-ordering-${config.stage}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(props.topic));
      this.alarms.push(created);
    };

    for (let first = 0; first < props.functions.length; first += METRICS_PER_EXPRESSION) {
      const group = props.functions.slice(first, first + METRICS_PER_EXPRESSION);
      const sum = (kind: 'Errors' | 'Throttles') =>
        new MathExpression({
          expression: group.map((_, i) => `m${i}`).join(' + '),
          usingMetrics: Object.fromEntries(
            group.map((fn, i) => [`m${i}`, kind === 'Errors' ? fn.metricErrors({ period: FIVE_MINUTES }) : fn.metricThrottles({ period: FIVE_MINUTES })]),
          ),
          period: FIVE_MINUTES,
          label: `${kind} (${props.dashboard} functions ${first + 1}-${first + group.length})`,
        });
      const n = first / METRICS_PER_EXPRESSION + 1;
      alarm({ name: `${props.dashboard}-LambdaErrors${n}`, metric: sum('Errors'), threshold: 0, description: 'Any Lambda error in this group of functions.' });
      alarm({ name: `${props.dashboard}-LambdaThrottles${n}`, metric: sum('Throttles'), threshold: 0, description: 'Any Lambda throttle in this group of functions.' });
    }
    props.alarms.forEach(alarm);

    const business = (name: string) =>
      new Metric({ namespace: `QrOrdering/${config.stage}`, metricName: name, dimensionsMap: { service: 'qr-ordering' }, statistic: 'Sum', period: FIVE_MINUTES });
    new Dashboard(this, 'Dashboard', { dashboardName: `qr-ordering-${config.stage}-${props.dashboard}` }).addWidgets(
      ...this.alarms.map((a) => new GraphWidget({ title: a.alarmName, left: [a.metric], width: 8 })),
      ...Object.entries(props.businessMetrics).map(([title, names]) => new GraphWidget({ title, left: names.map(business), width: 8 })),
    );
  }
}
