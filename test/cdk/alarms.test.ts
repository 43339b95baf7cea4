/**
 * The alarm set of the example service (issue 13, point 6): every alarm notifies the encrypted,
 * SSL-only alarm topic; error rates are metric math against the objective; per route the 5xx rate
 * and API latency p99 against `x-slo` (getOrder declares 100 ms, the others take the default 300);
 * 429s counted by a metric filter on the access log; per event type the EMF failures; DLQ depth and
 * age. Also the stage's default throttling without `x-throttling`, and the alarm e-mail context.
 */
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceStack } from '../../app/cdk/stack.js';
import { contract } from '../../generated/cdk/contract.js';
import { EvtgenService } from '../../generated/cdk/service.js';
import { repoRoot } from '../helpers/project.js';
import {
  type CfnResource,
  cdkJsonContext,
  newApp,
  ofType,
  refId,
  type Synthesized,
  synthesized,
} from './synth.js';

let s: Synthesized;
let resources: Record<string, CfnResource>;

beforeAll(async () => {
  const app = newApp(await cdkJsonContext());
  s = synthesized(app, new ServiceStack(app, 'OrdersService'));
  resources = s.resources;
});

interface AlarmProps {
  readonly AlarmDescription: string;
  readonly AlarmActions?: unknown[];
  readonly OKActions?: unknown[];
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly ExtendedStatistic?: string;
  readonly Period?: number;
  readonly Dimensions?: { Name: string; Value: unknown }[];
  readonly Metrics?: MetricQuery[];
  readonly Threshold: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly TreatMissingData?: string;
}

interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly ReturnData?: boolean;
  readonly MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] };
    Period: number;
    Stat: string;
  };
}

const alarms = (): [string, AlarmProps][] =>
  ofType(resources, 'AWS::CloudWatch::Alarm').map(([id, a]) => [id, a.Properties as unknown as AlarmProps]);

/** The metric a math alarm reads under `id` (e.g. `failed`, `total`). */
const queryMetric = (a: AlarmProps, id: string) => a.Metrics?.find((m) => m.Id === id)?.MetricStat;
const dims = (d: { Name: string; Value: unknown }[] | undefined) =>
  Object.fromEntries((d ?? []).map(({ Name, Value }) => [Name, refId(Value) ?? Value]));
const rateExpression = 'IF(total > 0, 100 * FILL(failed, 0) / total, 0)';

describe('the alarm topic', () => {
  it('is the action of every alarm, on alarm and on recovery', () => {
    const [[topicId]] = ofType(resources, 'AWS::SNS::Topic') as [[string, CfnResource]];
    expect(alarms().length).toBeGreaterThan(40);
    for (const [id, a] of alarms()) {
      expect((a.AlarmActions ?? []).map(refId), id).toContain(topicId);
      expect((a.OKActions ?? []).map(refId), id).toContain(topicId);
      // Each says what happened and what to do (two sentences at least).
      expect(a.AlarmDescription, id).toMatch(/\.\s+\S.+/);
    }
  });

  it('is encrypted with a rotated key CloudWatch may use, and accepts SSL only', () => {
    const [[, topic]] = ofType(resources, 'AWS::SNS::Topic') as [[string, CfnResource]];
    const keyId = refId(topic.Properties?.KmsMasterKeyId);
    const key = resources[keyId ?? ''];
    expect(key?.Type).toBe('AWS::KMS::Key');
    expect(key?.Properties?.EnableKeyRotation).toBe(true);
    const statements = (key?.Properties?.KeyPolicy as { Statement: Record<string, unknown>[] } | undefined)
      ?.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ],
      },
    });
  });

  it('gets the e-mail subscribers of the context key evtgen:alarmEmails; a bad value names the key', async () => {
    const app = newApp({ ...(await cdkJsonContext()), 'evtgen:alarmEmails': ['oncall@example.org'] });
    const stack = new Stack(app, 'Emails');
    new EvtgenService(stack, 'Service', contract, { handlersDir: join(repoRoot, 'app', 'handlers') });
    const { resources: withEmails } = synthesized(app, stack);
    expect(ofType(withEmails, 'AWS::SNS::Subscription').map(([, r]) => r.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'oncall@example.org' }),
    ]);
    expect(ofType(resources, 'AWS::SNS::Subscription')).toEqual([]);

    const bad = newApp({ ...(await cdkJsonContext()), 'evtgen:alarmEmails': [42] });
    expect(
      () => new EvtgenService(new Stack(bad, 'Bad'), 'Service', contract, { handlersDir: 'app/handlers' }),
    ).toThrow(/evtgen:alarmEmails must be a list of e-mail addresses/);
  });
});

describe('functions', () => {
  it('alarm on the error rate (metric math over Errors and Invocations) against the objective, 3 of 5 minutes', () => {
    const functions = ofType(resources, 'AWS::Lambda::Function').map(([id]) => id);
    const rates = alarms().filter(([, a]) => queryMetric(a, 'failed')?.Metric.MetricName === 'Errors');
    expect(
      rates.map(([, a]) => dims(queryMetric(a, 'failed')?.Metric.Dimensions).FunctionName).sort(),
    ).toEqual(functions.sort());
    for (const [id, a] of rates) {
      expect(a.Metrics?.find((m) => m.ReturnData !== false)?.Expression, id).toBe(rateExpression);
      expect(queryMetric(a, 'total')?.Metric.MetricName, id).toBe('Invocations');
      expect(queryMetric(a, 'failed')?.Period, id).toBe(60);
      expect([a.Threshold, a.EvaluationPeriods, a.DatapointsToAlarm], id).toEqual([0.1, 5, 3]);
      expect(a.TreatMissingData, id).toBe('notBreaching');
    }
    // No alarm on `Errors > 0` any more.
    expect(alarms().filter(([, a]) => a.MetricName === 'Errors')).toEqual([]);
  });

  it("alarm on p99 duration: a consumer's x-slo p99Ms (fulfilment 2000 ms), else 80 % of the timeout", () => {
    const duration = (idPrefix: string) =>
      alarms().find(([id, a]) => id.startsWith(idPrefix) && a.MetricName === 'Duration')?.[1];
    expect(duration('ServiceEventsFulfilmentHandler')).toMatchObject({
      Threshold: 2000,
      ExtendedStatistic: 'p99',
    });
    expect(duration('ServiceEventsNotificationsHandler')?.Threshold).toBe(24_000);
    expect(duration('ServiceApiCreateOrderHandler')?.Threshold).toBe(8000);
    expect(duration('ServiceApiCreateOrderHandler')).toMatchObject({
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });
});

describe('HTTP API', () => {
  it('alarms per route on the 5xx rate and the p99 latency of x-slo (getOrder 100 ms) or the default (300 ms)', () => {
    const [[httpApiId]] = ofType(resources, 'AWS::ApiGatewayV2::Api') as [[string, CfnResource]];
    const expected: Record<string, number> = {
      'POST /orders': 300,
      'GET /orders/{orderId}': 100,
      'GET /health': 300,
    };
    for (const [routeKey, p99] of Object.entries(expected)) {
      const [method, path] = routeKey.split(' ');
      const route = { ApiId: httpApiId, Stage: '$default', Method: method, Resource: path };
      const latency = alarms().filter(
        ([, a]) =>
          a.Namespace === 'AWS/ApiGateway' && a.MetricName === 'Latency' && equal(dims(a.Dimensions), route),
      );
      expect(
        latency.map(([, a]) => [a.ExtendedStatistic, a.Threshold]),
        routeKey,
      ).toEqual([['p99', p99]]);
      const serverErrors = alarms().filter(([, a]) => {
        const failed = queryMetric(a, 'failed')?.Metric;
        return failed?.MetricName === '5xx' && equal(dims(failed.Dimensions), route);
      });
      expect(serverErrors, routeKey).toHaveLength(1);
      const [, rate] = serverErrors[0] as [string, AlarmProps];
      expect(queryMetric(rate, 'total')?.Metric).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Count',
      });
      expect(rate.Metrics?.find((m) => m.ReturnData !== false)?.Expression).toBe(rateExpression);
      expect(rate.Threshold).toBe(0.1);
    }
  });

  it('counts 429s with a metric filter on the access log status, and alarms on their share of requests', () => {
    const [[filterId, filter]] = ofType(resources, 'AWS::Logs::MetricFilter') as [[string, CfnResource]];
    expect(filter.Properties?.FilterPattern).toBe('{ $.status = "429" }');
    expect(refId(filter.Properties?.LogGroupName)).toMatch(/^ServiceApiAccessLogs/);
    expect(filter.Properties?.MetricTransformations).toEqual([
      {
        MetricNamespace: contract.metricsNamespace,
        MetricName: 'ThrottledRequests',
        MetricValue: '1',
        Unit: 'Count',
        Dimensions: [{ Key: 'ApiId', Value: '$.apiId' }],
      },
    ]);
    const [[, stage]] = ofType(resources, 'AWS::ApiGatewayV2::Stage') as [[string, CfnResource]];
    const format = JSON.parse(
      (stage.Properties?.AccessLogSettings as { Format?: string } | undefined)?.Format ?? '{}',
    );
    expect(format).toMatchObject({ status: '$context.status', apiId: '$context.apiId' });
    const throttled = alarms().filter(
      ([, a]) => queryMetric(a, 'failed')?.Metric.MetricName === 'ThrottledRequests',
    );
    expect(throttled, filterId).toHaveLength(1);
    const [, a] = throttled[0] as [string, AlarmProps];
    expect(queryMetric(a, 'total')?.Metric.MetricName).toBe('Count');
    expect([a.Threshold, a.EvaluationPeriods, a.DatapointsToAlarm]).toEqual([1, 5, 3]);
  });

  it('throttles the stage at 1,000 requests/s with a burst of 2,000 when the spec has no x-throttling', async () => {
    const app = newApp(await cdkJsonContext());
    const stack = new Stack(app, 'Defaults');
    const { defaultThrottling: _, ...unthrottled } = contract;
    new EvtgenService(
      stack,
      'Service',
      { ...unthrottled, routes: contract.routes.map(({ throttling: __, ...r }) => r) },
      {
        handlersDir: join(repoRoot, 'app', 'handlers'),
      },
    );
    const { resources: plain } = synthesized(app, stack);
    const [[, stage]] = ofType(plain, 'AWS::ApiGatewayV2::Stage') as [[string, CfnResource]];
    expect(stage.Properties?.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 1000,
      ThrottlingBurstLimit: 2000,
      DetailedMetricsEnabled: true,
    });
    expect(stage.Properties?.RouteSettings).toBeUndefined();
  });
});

describe('events', () => {
  it('alarm per event type on failed (rate), invalid and unpublished events from the EMF metrics', () => {
    /** The metric an alarm watches: its own, or the numerator of a rate. */
    const watched = (a: AlarmProps) =>
      a.MetricName
        ? { Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions }
        : queryMetric(a, 'failed')?.Metric;
    const emf = (eventType: string, metricName: string) =>
      alarms().filter(([, a]) => {
        const m = watched(a);
        return (
          m?.Namespace === contract.metricsNamespace &&
          m.MetricName === metricName &&
          equal(dims(m.Dimensions), { service: contract.service.name, eventType })
        );
      });
    for (const event of contract.events) {
      const consumed = contract.consumers.some((c) => c.eventTypes.includes(event.id));
      expect(emf(event.id, 'EventsFailed'), event.id).toHaveLength(consumed ? 1 : 0);
      expect(emf(event.id, 'EventsInvalid'), event.id).toHaveLength(consumed ? 1 : 0);
      expect(emf(event.id, 'EventsPublishFailed'), event.id).toHaveLength(event.published ? 1 : 0);
      const [, failed] = emf(event.id, 'EventsFailed')[0] ?? [];
      if (failed) {
        expect(failed.Metrics?.find((m) => m.ReturnData !== false)?.Expression).toBe(rateExpression);
        expect(failed.Threshold).toBe(0.1);
      }
    }
    // The example: every event type is received; all but ShipmentDispatched (the shipping service's) published.
    expect(contract.events.map((e) => e.published)).toEqual([true, true, true, false]);
  });

  it('alarm on depth and age of the oldest message of every dead-letter queue', () => {
    const queueAlarms = (metric: string) =>
      alarms()
        .filter(([, a]) => a.Namespace === 'AWS/SQS' && a.MetricName === metric)
        .map(([, a]) => ({ queue: refId(a.Dimensions?.[0]?.Value), threshold: a.Threshold }));
    const deadLetterQueues = ofType(resources, 'AWS::SQS::Queue')
      .map(([id]) => id)
      .filter((id) => /DeadLetterQueue/.test(id));
    // Two per queue consumer, the direct consumer's target DLQ, the outbox relay's.
    expect(deadLetterQueues).toHaveLength(8);
    const age = queueAlarms('ApproximateAgeOfOldestMessage');
    for (const id of deadLetterQueues) {
      expect(
        queueAlarms('ApproximateNumberOfMessagesVisible').map((a) => a.queue),
        id,
      ).toContain(id);
      // A day, well before the 14 days' retention ends.
      expect(age.find((a) => a.queue === id)?.threshold, id).toBe(86_400);
    }
  });
});

function equal(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}
