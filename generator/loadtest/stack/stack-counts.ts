/**
 * What a deployed stack can tell about the events of a time window, through the AWS APIs a user's
 * own credentials reach: queue depths from SQS (exact enough, and immediate) and counts from
 * CloudWatch (AWS's own metrics, and the `EventsPublished` metric the generated functions emit).
 *
 * Per consumer:
 * - expected: `AWS/Events MatchedEvents` of its rules;
 * - done: a queue consumer's `AWS/SQS NumberOfMessagesDeleted`, a function consumer's
 *   `AWS/Lambda Invocations − Errors`; minus the events its handler sent to its DLQ itself (poison:
 *   `NumberOfMessagesSent` of that DLQ, which counts only sends, not redrives);
 * - failed attempts: `AWS/Lambda Errors` of its function.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueDepth } from '../../dlq/peek.js';
import { type MetricKey, sumMetrics } from './metric-sums.js';
import type { StackConsumer, StackTopology } from './stack-topology.js';

export interface ConsumerCounts {
  readonly expected: number;
  readonly done: number;
  readonly handlerDeadLettered: number;
  readonly failedAttempts: number;
}

export interface StackCounts {
  /** Event type → `EventsPublished` (absent when the stack's functions declare no metrics namespace). */
  readonly publishedByType?: Readonly<Record<string, number>>;
  readonly consumers: Readonly<Record<string, ConsumerCounts>>;
}

/** Queue depths at one moment. */
export interface StackDepths {
  /** Dead-letter queue URL → messages (visible, in flight, delayed). */
  readonly deadLetter: Readonly<Record<string, number>>;
  /** Consumer → messages waiting in or being processed from its queue. */
  readonly inFlight: Readonly<Record<string, number>>;
}

export async function readDepths(sqs: SQSClient, topology: StackTopology): Promise<StackDepths> {
  const [deadLetter, inFlight] = await Promise.all([
    Promise.all(topology.deadLetterQueues.map(async (q) => [q.url, await queueDepth(sqs, q.url)] as const)),
    Promise.all(
      topology.consumers.map(
        async (c) => [c.name, c.queue ? await queueDepth(sqs, c.queue.url) : 0] as const,
      ),
    ),
  ]);
  return { deadLetter: Object.fromEntries(deadLetter), inFlight: Object.fromEntries(inFlight) };
}

export async function readCounts(
  cloudWatch: CloudWatchClient,
  topology: StackTopology,
  eventTypes: readonly string[],
  window: { readonly start: number; readonly end: number },
): Promise<StackCounts> {
  const keys: MetricKey[] = [];
  const at = (key: MetricKey): number => keys.push(key) - 1;
  const metrics = topology.metrics;
  const published = metrics
    ? eventTypes.map(
        (eventType) =>
          [
            eventType,
            at({
              namespace: metrics.namespace,
              metricName: 'EventsPublished',
              dimensions: { service: metrics.service, eventType },
            }),
          ] as const,
      )
    : undefined;
  const perConsumer = topology.consumers.map(
    (consumer) => [consumer, consumerKeys(consumer, topology, at)] as const,
  );
  const sums = await sumMetrics(cloudWatch, keys, window);
  const sum = (indexes: readonly number[]): number => indexes.reduce((total, i) => total + (sums[i] ?? 0), 0);
  return {
    ...(published
      ? { publishedByType: Object.fromEntries(published.map(([type, i]) => [type, sums[i] ?? 0])) }
      : {}),
    consumers: Object.fromEntries(
      perConsumer.map(([consumer, k]) => {
        const errors = sum(k.errors);
        const done =
          consumer.delivery === 'queue' ? sum(k.deleted) : Math.max(0, sum(k.invocations) - errors);
        const handlerDeadLettered = sum(k.handlerSent);
        return [
          consumer.name,
          {
            expected: sum(k.matched),
            done: Math.max(0, done - handlerDeadLettered),
            handlerDeadLettered,
            failedAttempts: errors,
          },
        ];
      }),
    ),
  };
}

function consumerKeys(
  consumer: StackConsumer,
  topology: StackTopology,
  at: (key: MetricKey) => number,
): Record<'matched' | 'deleted' | 'invocations' | 'errors' | 'handlerSent', number[]> {
  const lambda = (metricName: string): number =>
    at({ namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: consumer.functionName } });
  return {
    // Metrics of a rule on a custom bus carry both dimensions; on the default bus only RuleName.
    matched: consumer.rules.map((rule) =>
      at({
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensions:
          rule.eventBusName === 'default'
            ? { RuleName: rule.ruleName }
            : { EventBusName: rule.eventBusName, RuleName: rule.ruleName },
      }),
    ),
    deleted: consumer.queue
      ? [
          at({
            namespace: 'AWS/SQS',
            metricName: 'NumberOfMessagesDeleted',
            dimensions: { QueueName: consumer.queue.name },
          }),
        ]
      : [],
    invocations: consumer.delivery === 'function' ? [lambda('Invocations')] : [],
    errors: [lambda('Errors')],
    handlerSent: topology.deadLetterQueues
      .filter((q) => q.hops.includes('handler') && q.consumers[0] === consumer.name)
      .map((q) =>
        at({ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', dimensions: { QueueName: q.name } }),
      ),
  };
}
