/**
 * The alarms of the service and where they go. Each alarm is set against an objective (the spec's
 * `x-slo`, or the architecture's p99 300 ms / error rate 0.1 %) or against a condition that needs
 * a person (a dead-lettered event, an invalid event, an event that was not published), and its
 * description says what to do. Every alarm notifies the service's alarm topic (and recovers on it).
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventSpec, RouteSpec, Slo } from './cdk-contract-types.js';

/** Where an alarm sends its state changes. */
export interface AlarmTargets {
  /** Actions when an alarm goes to ALARM (the alarm topic, then the app's `alarmActions`). */
  readonly alarmActions: readonly IAlarmAction[];
  /** Actions when it recovers (the alarm topic: whoever was told of the alarm hears it is over). */
  readonly okActions?: readonly IAlarmAction[];
}

/** How long a condition must hold before the alarm fires. */
export interface AlarmWindow {
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/**
 * Rates (errors, 5xx, throttles): one-minute datapoints, 3 of the last 5 above the objective.
 * Long enough that one bad minute (a deploy, a cold-start burst) pages nobody, short enough that a
 * real incident pages within ~5 minutes.
 */
export const rateWindow: AlarmWindow = {
  period: Duration.minutes(1),
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
};

/**
 * Percentiles: five-minute datapoints (a p99 over one minute of light traffic is just the slowest
 * request), 2 of the last 3 above the objective.
 */
export const latencyWindow: AlarmWindow = {
  period: Duration.minutes(5),
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
};

/** One occurrence needs a person (an event that is lost, dead-lettered or breaks the contract). */
export const immediateWindow: AlarmWindow = {
  period: Duration.minutes(1),
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
};

export interface AlarmSpec {
  readonly metric: IMetric;
  /** Alarms when the metric is greater than this. */
  readonly threshold: number;
  /** What it means and what to do. */
  readonly description: string;
  /** Default: one evaluation of the metric's own period. */
  readonly window?: AlarmWindow;
  /** Default NOT_BREACHING: no traffic, or no failure, emits no datapoint, and that is fine. */
  readonly treatMissingData?: TreatMissingData;
}

/** `metric > threshold` over the window, with the targets' actions. */
export function alarm(scope: Construct, id: string, targets: AlarmTargets, spec: AlarmSpec): Alarm {
  const window = spec.window;
  const created = new Alarm(scope, id, {
    metric: window ? withPeriod(spec.metric, window.period) : spec.metric,
    threshold: spec.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: window?.evaluationPeriods ?? 1,
    ...(window ? { datapointsToAlarm: window.datapointsToAlarm } : {}),
    treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    alarmDescription: spec.description,
  });
  for (const action of targets.alarmActions) created.addAlarmAction(action);
  for (const action of targets.okActions ?? []) created.addOkAction(action);
  return created;
}

function withPeriod(metric: IMetric, period: Duration): IMetric {
  if (metric instanceof Metric || metric instanceof MathExpression) return metric.with({ period });
  return metric;
}

/**
 * `100 * failed / total` in percent, 0 without traffic. FILL: a metric with no datapoint in a
 * period (no failure at all) counts as 0 instead of hiding the rate.
 */
export function percentOf(failed: IMetric, total: IMetric, label: string): MathExpression {
  return new MathExpression({
    expression: 'IF(total > 0, 100 * FILL(failed, 0) / total, 0)',
    usingMetrics: { failed, total },
    label,
  });
}

export interface AlarmTopicProps {
  /** E-mail subscribers (each confirms by the link AWS sends). */
  readonly emails: readonly string[];
  readonly description: string;
}

/**
 * The SNS topic every alarm notifies: encrypted with its own KMS key (CloudWatch cannot publish to
 * a topic under the AWS managed `alias/aws/sns` key, whose policy cannot admit it), SSL only.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `${props.description}: encrypts the alarm topic`,
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: props.description.slice(0, 100),
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
  }
}

/** `evtgen:alarmEmails` from the CDK context (cdk.json or `-c`): a list of e-mail addresses. */
export function alarmEmailsFromContext(scope: Construct): string[] {
  const value: unknown = scope.node.tryGetContext('evtgen:alarmEmails');
  if (value === undefined) return [];
  // `cdk -c evtgen:alarmEmails=a@x,b@y` passes a string.
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(list) || !list.every((e) => typeof e === 'string' && /^[^@\s]+@[^@\s]+$/.test(e))) {
    throw new Error(
      'The context key evtgen:alarmEmails must be a list of e-mail addresses (cdk.json: {"context": {"evtgen:alarmEmails": ["oncall@example.org"]}}).',
    );
  }
  return list.filter((e) => e !== '');
}

/** The `$default` stage's per-route metric (needs detailed metrics on the stage). */
function routeMetric(apiId: string, route: RouteSpec, metricName: string, statistic: string): Metric {
  return new Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: { ApiId: apiId, Stage: '$default', Method: route.method, Resource: route.path },
    statistic,
  });
}

/** Per route: the 5xx rate against its error-rate objective, API latency p99 against its p99. */
export function routeAlarms(
  scope: Construct,
  targets: AlarmTargets,
  apiId: string,
  route: RouteSpec,
): Alarm[] {
  const name = `${route.method} ${route.path}`;
  const slo: Slo = route.slo;
  return [
    alarm(scope, 'ServerErrorRateAlarm', targets, {
      metric: percentOf(
        routeMetric(apiId, route, '5xx', 'Sum'),
        routeMetric(apiId, route, 'Count', 'Sum'),
        `${name} 5xx %`,
      ),
      threshold: slo.errorRatePercent,
      window: rateWindow,
      description:
        `${name}: more than ${slo.errorRatePercent} % of requests answered 5xx (objective, x-slo.errorRatePercent) in 3 of 5 minutes. ` +
        `Look at the ${route.operationId} function's errors and logs (integrationError in the API access log); roll back a recent deploy first.`,
    }),
    alarm(scope, 'LatencyP99Alarm', targets, {
      metric: routeMetric(apiId, route, 'Latency', 'p99'),
      threshold: slo.p99Ms,
      window: latencyWindow,
      description:
        `${name}: p99 latency above ${slo.p99Ms} ms (objective, x-slo.p99Ms) in 2 of 3 five-minute periods. ` +
        `Compare with the function's Duration and X-Ray traces: a slow dependency, cold starts (raise memory or add provisioned concurrency) or a throttled table.`,
    }),
  ];
}

export interface ApiThrottlingAlarmProps {
  readonly apiId: string;
  /** The metric counting 429 answers (from the access log metric filter). */
  readonly throttled: Metric;
}

/**
 * 429s above 1 % of requests in 3 of 5 minutes. A few 429s at a burst are API Gateway protecting the
 * functions as designed (clients retry with backoff); a sustained share means the limit is below
 * the demand or one client floods.
 */
export function throttlingAlarm(
  scope: Construct,
  targets: AlarmTargets,
  props: ApiThrottlingAlarmProps,
): Alarm {
  const requests = new Metric({
    namespace: 'AWS/ApiGateway',
    metricName: 'Count',
    dimensionsMap: { ApiId: props.apiId, Stage: '$default' },
    statistic: 'Sum',
  });
  return alarm(scope, 'ThrottledRequestsAlarm', targets, {
    metric: percentOf(props.throttled, requests, '429 %'),
    threshold: 1,
    window: rateWindow,
    description:
      'More than 1 % of HTTP requests were throttled (429) in 3 of 5 minutes. Find the route and caller in the access logs ' +
      '(status 429, routeKey, ip); raise x-throttling in the OpenAPI document if the demand is legitimate, else limit that client.',
  });
}

export interface EventTypeAlarmProps {
  readonly namespace: string;
  readonly serviceName: string;
  readonly event: EventSpec;
  /** The strictest error-rate objective of the consumers receiving it (undefined: none does). */
  readonly consumerErrorRatePercent?: number;
}

/**
 * Per event type, from the EMF metrics of the generated wrappers (dimensions `service`, `eventType`):
 * failed processing against the consumers' objective, any invalid event, any publish failure.
 */
export function eventTypeAlarms(
  scope: Construct,
  targets: AlarmTargets,
  props: EventTypeAlarmProps,
): Alarm[] {
  const { event } = props;
  const metric = (metricName: string) =>
    new Metric({
      namespace: props.namespace,
      metricName,
      dimensionsMap: { service: props.serviceName, eventType: event.id },
      statistic: 'Sum',
    });
  const alarms: Alarm[] = [];
  if (props.consumerErrorRatePercent !== undefined) {
    const total = new MathExpression({
      expression: 'FILL(processed, 0) + FILL(failed, 0)',
      usingMetrics: { processed: metric('EventsProcessed'), failed: metric('EventsFailed') },
    });
    alarms.push(
      alarm(scope, `${event.id}FailedRateAlarm`, targets, {
        metric: percentOf(metric('EventsFailed'), total, `${event.id} failed %`),
        threshold: props.consumerErrorRatePercent,
        window: rateWindow,
        description:
          `${event.detailType}: more than ${props.consumerErrorRatePercent} % of deliveries failed in a consumer in 3 of 5 minutes (they are retried, then dead-lettered). ` +
          `Search the consumer logs for "Event processing failed" with eventType ${event.id}; fix the cause, then redrive the dead-letter queue.`,
      }),
      alarm(scope, `${event.id}InvalidAlarm`, targets, {
        metric: metric('EventsInvalid'),
        threshold: 0,
        window: immediateWindow,
        description:
          `${event.detailType}: a consumer received an event that breaks its schema (it goes to the dead-letter queue). ` +
          `The log line "Invalid event" lists the issues: fix the producer, or evolve the schema compatibly (evtgen check), then redrive.`,
      }),
    );
  }
  if (event.published) {
    alarms.push(
      alarm(scope, `${event.id}PublishFailedAlarm`, targets, {
        metric: metric('EventsPublishFailed'),
        threshold: 0,
        window: immediateWindow,
        description:
          `${event.detailType}: EventBridge refused events after the publisher's retries: they were not published. ` +
          'The log line "Event not published after retries" has the error code (throttling: raise the PutEvents quota; AccessDenied: the role or bus policy).',
      }),
    );
  }
  return alarms;
}

/**
 * A dead-letter queue's oldest message is older than a day (or half its retention, when shorter):
 * nobody has handled it, and SQS deletes it when the retention ends.
 */
export function deadLetterAgeAlarm(
  scope: Construct,
  id: string,
  targets: AlarmTargets,
  queue: IQueue,
  retentionSeconds: number,
  what: string,
): Alarm {
  const threshold = Math.min(86_400, Math.floor(retentionSeconds / 2));
  return alarm(scope, id, targets, {
    metric: queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
    threshold,
    window: { period: Duration.minutes(5), evaluationPeriods: 1, datapointsToAlarm: 1 },
    description:
      `${what}: the oldest message is older than ${threshold} s and SQS deletes it after ${retentionSeconds} s. ` +
      'Read it, fix the cause, then redrive it (SQS console: Start DLQ redrive) or delete it on purpose.',
  });
}
