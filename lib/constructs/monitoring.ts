import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config';

export interface MonitoringProps {
  config: StageConfig;
  restApi: RestApi;
  webSocketStage: WebSocketStage;
  functions: IFunction[];
  placeOrderFunction: IFunction;
  fanoutFunction: IFunction;
  deadLetters: IQueue;
  table: ITable;
}

/** Lambda's alarm math takes at most 10 metrics per expression: one alarm per group of functions. */
const METRICS_PER_EXPRESSION = 10;

/**
 * Alarms that page someone (an SNS topic, with the stage's e-mail subscribed when configured) and
 * a dashboard with the same figures plus the business metrics.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    this.topic = new Topic(this, 'Alarms', { displayName: `QR ordering alarms (${config.stage})`, enforceSSL: true });
    if (config.alarmEmail) this.topic.addSubscription(new EmailSubscription(config.alarmEmail));

    const alarm = (name: string, metric: IMetric, threshold: number, description: string) => {
      const created = new Alarm(this, name, {
        alarmName: `qr-ordering-${config.stage}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      this.alarms.push(created);
      return created;
    };

    const fiveMinutes = Duration.minutes(5);
    alarm(
      'Rest5xxRate',
      props.restApi.metricServerError({ statistic: 'Average', period: fiveMinutes }),
      config.alarms.rest5xxRate,
      'Share of REST requests answered with a 5XX over 5 minutes.',
    );

    const groups: IFunction[][] = [];
    for (let i = 0; i < props.functions.length; i += METRICS_PER_EXPRESSION) groups.push(props.functions.slice(i, i + METRICS_PER_EXPRESSION));
    groups.forEach((group, g) => {
      const sum = (kind: 'Errors' | 'Throttles') =>
        new MathExpression({
          expression: group.map((_, i) => `m${i}`).join(' + '),
          usingMetrics: Object.fromEntries(
            group.map((fn, i) => [`m${i}`, kind === 'Errors' ? fn.metricErrors({ period: fiveMinutes }) : fn.metricThrottles({ period: fiveMinutes })]),
          ),
          period: fiveMinutes,
          label: `${kind} (functions ${g * METRICS_PER_EXPRESSION + 1}-${g * METRICS_PER_EXPRESSION + group.length})`,
        });
      alarm(`LambdaErrors${g + 1}`, sum('Errors'), 0, 'Any Lambda error in this group of functions.');
      alarm(`LambdaThrottles${g + 1}`, sum('Throttles'), 0, 'Any Lambda throttle in this group of functions.');
    });

    alarm(
      'PlaceOrderP99Latency',
      props.placeOrderFunction.metricDuration({ statistic: 'p99', period: fiveMinutes }),
      config.alarms.placeOrderP99Ms,
      'p99 duration of order placement (ms).',
    );
    alarm(
      'FanoutIteratorAge',
      new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensionsMap: { FunctionName: props.fanoutFunction.functionName },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      60_000,
      'The stream consumer is more than 60 s behind: real-time messages arrive late.',
    );
    alarm(
      'FanoutDeadLetters',
      props.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      0,
      'Stream records the fan-out gave up on.',
    );
    alarm(
      'DynamoDbThrottles',
      props.table.metricThrottledRequestsForOperations({
        operations: [Operation.GET_ITEM, Operation.QUERY, Operation.UPDATE_ITEM, Operation.PUT_ITEM, Operation.TRANSACT_WRITE_ITEMS, Operation.BATCH_GET_ITEM],
        period: fiveMinutes,
      }),
      0,
      'DynamoDB throttled requests.',
    );
    const webSocketDimensions = { ApiId: props.webSocketStage.api.apiId, Stage: props.webSocketStage.stageName };
    alarm(
      'WebSocketExecutionErrors',
      new Metric({ namespace: 'AWS/ApiGateway', metricName: 'ExecutionError', dimensionsMap: webSocketDimensions, statistic: 'Sum', period: fiveMinutes }),
      0,
      'WebSocket API integration errors.',
    );

    const business = (name: string) =>
      new Metric({ namespace: `QrOrdering/${config.stage}`, metricName: name, dimensionsMap: { service: 'qr-ordering' }, statistic: 'Sum', period: fiveMinutes });
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `qr-ordering-${config.stage}` });
    dashboard.addWidgets(
      ...this.alarms.map((a) => new GraphWidget({ title: a.alarmName, left: [a.metric], width: 8 })),
      new GraphWidget({ title: 'Orders', left: ['OrdersPlaced', 'OrderPlacementFailed'].map(business), width: 8 }),
      new GraphWidget({ title: 'Guessing and lockouts', left: ['PinFailures', 'PinBlocks', 'LoginBlocks'].map(business), width: 8 }),
      new GraphWidget({ title: 'Fan-out', left: ['FanoutMessages', 'FanoutGone', 'FanoutFailures'].map(business), width: 8 }),
    );
  }
}
