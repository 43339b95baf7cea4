/**
 * `GET /_evtgen/status`: what `evtgen dev` is running and what happened so far — per route and per
 * consumer counters, and every dead-letter queue of the service with the consumer and hop it
 * belongs to and its depth, read from the emulator at the time of the request. `evtgen load` and the
 * flow tests count events with it.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ConsumerCounts, DevCounters, RouteCounts } from './counters.js';
import type { DevFaults } from './dev-faults.js';
import type { DevPlan, ProvisionedResources } from './plan.js';
import { type RuleSubscription, ruleSubscriptions } from './rule-match.js';

/** How a message reached a dead-letter queue. */
export type DeadLetterHop =
  /** The consumer's queue redrove it after maxReceiveCount receives. */
  | 'queue-redrive'
  /** EventBridge could not deliver it to the rule's target. */
  | 'rule-target'
  /** Lambda's asynchronous invocation or stream source gave up on it. */
  | 'on-failure'
  /** The consumer's code sent it (an invalid, poison event: `DEAD_LETTER_QUEUE_URL`). */
  | 'handler';

export interface DeadLetterQueueStatus {
  readonly queueName: string;
  readonly queueUrl: string;
  /** The contract names of the functions whose failures land here. */
  readonly consumers: readonly string[];
  readonly hops: readonly DeadLetterHop[];
  /** Messages in the queue (visible and in flight). */
  readonly depth: number;
}

export interface ConsumerSource {
  readonly kind: 'queue' | 'function';
  readonly queueUrl: string;
}

export interface DevStatus {
  readonly service: string;
  readonly endpoint: string;
  /**
   * The endpoint the functions use: the emulator behind evtgen dev's proxy. Events published here
   * are journalled like the service's own (`evtgen load` publishes its poison events here).
   */
  readonly functionsEndpoint: string;
  readonly region: string;
  readonly http: string;
  readonly uptimeSeconds: number;
  /** Number of reloads after edits. */
  readonly reloads: number;
  readonly routes: Readonly<Record<string, RouteCounts>>;
  readonly consumers: Readonly<Record<string, ConsumerCounts>>;
  readonly deadLetterQueues: readonly DeadLetterQueueStatus[];
  /**
   * Consumer → messages waiting in its source queue (an SQS consumer's queue, or the internal
   * invoke queue of a function a rule targets): visible ones and those being processed or retried.
   */
  readonly backlog: Readonly<Record<string, number>>;
  /**
   * Consumer → where its events arrive: the SQS queue it reads (`queue`), or for a function a rule
   * invokes, the internal queue evtgen dev invokes it from (`function`). `evtgen dlq redrive` replays
   * events there.
   */
  readonly sources: Readonly<Record<string, ConsumerSource>>;
  /** Each consumer's rule: its bus and exact pattern. */
  readonly subscriptions: readonly RuleSubscription[];
  /** Faults injected at run time (`PUT /_evtgen/faults`); `{}` when none. */
  readonly faults: DevFaults;
  /** The event journal's last position (`GET /_evtgen/journal?after=…`). */
  readonly journalSeq: number;
  /**
   * The other services of this `evtgen dev` (`--service`), each with its own counters, dead-letter
   * queues and resources; absent when it runs one service.
   */
  readonly services?: readonly DevStatus[];
  /** Physical names of what was provisioned, by the template's logical ids. */
  readonly resources: {
    readonly tables: Readonly<Record<string, string>>;
    readonly queues: Readonly<Record<string, string>>;
    readonly buses: Readonly<Record<string, string>>;
  };
}

interface DeadLetterQueueRef {
  readonly logicalId: string;
  readonly consumers: Set<string>;
  readonly hops: Set<DeadLetterHop>;
}

/** Every dead-letter queue of the plan, with who sends to it and how. */
export function deadLetterQueues(plan: DevPlan): DeadLetterQueueRef[] {
  const found = new Map<string, DeadLetterQueueRef>();
  const nameOf = (logicalId: string): string =>
    plan.functions.find((f) => f.logicalId === logicalId)?.name ?? logicalId;
  const add = (queue: string | undefined, consumer: string, hop: DeadLetterHop): void => {
    if (!queue) return;
    const ref = found.get(queue) ?? { logicalId: queue, consumers: new Set(), hops: new Set() };
    ref.consumers.add(consumer);
    ref.hops.add(hop);
    found.set(queue, ref);
  };
  for (const source of plan.queueSources) {
    const queue = plan.queues.find((q) => q.logicalId === source.queue);
    add(queue?.redrive?.deadLetterQueue, nameOf(source.function), 'queue-redrive');
  }
  for (const rule of plan.rules)
    for (const target of rule.targets) {
      const consumer =
        target.kind === 'function'
          ? nameOf(target.resource)
          : nameOf(plan.queueSources.find((s) => s.queue === target.resource)?.function ?? target.resource);
      add(target.deadLetterQueue, consumer, 'rule-target');
    }
  for (const config of plan.asyncInvokeConfigs)
    add(config.onFailureQueue, nameOf(config.function), 'on-failure');
  for (const source of plan.streamSources) add(source.onFailureQueue, nameOf(source.function), 'on-failure');
  for (const fn of plan.functions) {
    const dlq = fn.environment.DEAD_LETTER_QUEUE_URL;
    if (dlq && typeof dlq === 'object' && !Array.isArray(dlq) && 'Ref' in dlq && typeof dlq.Ref === 'string')
      add(dlq.Ref, fn.name, 'handler');
  }
  return [...found.values()];
}

/** The status, with the dead-letter queues' depths read now. */
export async function readStatus(
  input: {
    readonly plan: DevPlan;
    readonly resources: ProvisionedResources;
    readonly counters: DevCounters;
    readonly endpoint: string;
    readonly functionsEndpoint: string;
    readonly http: string;
    readonly startedAt: number;
    readonly reloads: number;
    readonly faults: DevFaults;
    readonly journalSeq: number;
  },
  sqs: SQSClient,
): Promise<DevStatus> {
  const { plan, resources } = input;
  const depthOf = async (queueUrl: string): Promise<number> => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };
  const nameOf = (logicalId: string): string =>
    plan.functions.find((f) => f.logicalId === logicalId)?.name ?? logicalId;
  const sources: [string, string][] = [
    ...plan.queueSources.map((s): [string, string] => [nameOf(s.function), resources.refs[s.queue] ?? '']),
    ...Object.entries(resources.invokeQueues ?? {}).map(([fn, url]): [string, string] => [nameOf(fn), url]),
  ];
  const backlog: Record<string, number> = {};
  for (const [consumer, depth] of await Promise.all(
    sources.map(
      async ([consumer, url]): Promise<[string, number]> => [consumer, url ? await depthOf(url) : 0],
    ),
  ))
    backlog[consumer] = (backlog[consumer] ?? 0) + depth;
  const queues = await Promise.all(
    deadLetterQueues(plan).map(async (ref): Promise<DeadLetterQueueStatus> => {
      const queueUrl = resources.refs[ref.logicalId] ?? '';
      return {
        queueName: resources.attributes[ref.logicalId]?.QueueName ?? ref.logicalId,
        queueUrl,
        consumers: [...ref.consumers].sort(),
        hops: [...ref.hops].sort(),
        depth: await depthOf(queueUrl),
      };
    }),
  );
  const counts = input.counters.snapshot();
  return {
    service: plan.stackName,
    endpoint: input.endpoint,
    functionsEndpoint: input.functionsEndpoint,
    region: resources.region,
    http: input.http,
    uptimeSeconds: Math.round((Date.now() - input.startedAt) / 1000),
    reloads: input.reloads,
    routes: counts.routes,
    consumers: counts.consumers,
    deadLetterQueues: queues.sort((a, b) => a.queueName.localeCompare(b.queueName)),
    backlog: Object.fromEntries(Object.entries(backlog).sort(([a], [b]) => a.localeCompare(b))),
    sources: Object.fromEntries(
      [
        ...plan.queueSources.map((s): [string, ConsumerSource] => [
          nameOf(s.function),
          { kind: 'queue', queueUrl: resources.refs[s.queue] ?? '' },
        ]),
        ...Object.entries(resources.invokeQueues ?? {}).map(([fn, queueUrl]): [string, ConsumerSource] => [
          nameOf(fn),
          { kind: 'function', queueUrl },
        ]),
      ].sort(([a], [b]) => a.localeCompare(b)),
    ),
    subscriptions: ruleSubscriptions(plan, resources),
    faults: input.faults,
    journalSeq: input.journalSeq,
    resources: {
      tables: byLogicalId(
        plan.tables.map((t) => t.logicalId),
        resources,
      ),
      queues: byLogicalId(
        plan.queues.map((q) => q.logicalId),
        resources,
      ),
      buses: byLogicalId(
        plan.buses.map((b) => b.logicalId),
        resources,
      ),
    },
  };
}

function byLogicalId(ids: readonly string[], resources: ProvisionedResources): Record<string, string> {
  return Object.fromEntries([...ids].sort().map((id) => [id, resources.refs[id] ?? '']));
}
