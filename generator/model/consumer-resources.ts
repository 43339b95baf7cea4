/**
 * What a consumer becomes on AWS, decided once: its EventBridge rule pattern and its queue names.
 * The CDK emitter writes them into the contract and the deploy checks (deploy-checks.ts) hold them
 * against AWS's limits, so what is checked is exactly what is deployed.
 */
import { isObject } from '../load/json-pointer.js';
import { eventPatternLimits } from './aws-limits.js';
import type { Consumer, EventType } from './contract.js';

/**
 * The rule's event pattern: the consumer's events by `source` and `detail-type` (a `$or` of one group
 * per source when there are several), and the `x-consumer.filter` under `detail`.
 *
 * A consumer of every event type of a source (an audit log of a large service) would list them all
 * and exceed EventBridge's pattern size quota (2,048 characters): when the explicit pattern is that
 * long, such a group matches on `source` alone. Events of that source are then exactly the contract's;
 * an event type added later without regenerating reaches the consumer as unknown and is dead-lettered
 * at once, with the reason.
 */
export function consumerRulePattern(
  consumer: Consumer,
  events: readonly EventType[],
  allEvents: readonly EventType[] = events,
): Record<string, unknown> {
  const explicit = rulePattern(consumer, events, new Set());
  if (JSON.stringify(explicit).length <= eventPatternLimits.maxLength) return explicit;
  const received = new Set(events.map((e) => `${e.source}\u0000${e.detailType}`));
  const wholeSources = new Set(
    [...new Set(events.map((e) => e.source))].filter((source) =>
      allEvents
        .filter((e) => e.source === source)
        .every((e) => received.has(`${e.source}\u0000${e.detailType}`)),
    ),
  );
  return rulePattern(consumer, events, wholeSources);
}

function rulePattern(
  consumer: Consumer,
  events: readonly EventType[],
  wholeSources: ReadonlySet<string>,
): Record<string, unknown> {
  const bySource = new Map<string, string[]>();
  for (const event of events) {
    const types = bySource.get(event.source) ?? [];
    types.push(event.detailType);
    bySource.set(event.source, types);
  }
  const groups = [...bySource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([source, types]) =>
      wholeSources.has(source)
        ? { source: [source] }
        : { source: [source], 'detail-type': [...new Set(types)].sort() },
    );
  const pattern: Record<string, unknown> = groups.length === 1 ? { ...groups[0] } : { $or: groups };
  if (consumer.filter) pattern.detail = consumer.filter;
  return pattern;
}

/** A queue name and where it comes from in the `sqs` binding (for diagnostics). */
export interface PlannedQueue {
  /** The name SQS gets (`.fifo` appended to a FIFO queue's binding name when missing). */
  readonly name: string;
  readonly fifo: boolean;
  /** Index in the binding's `queues` whose `name` this is, when the binding names it. */
  readonly bindingIndex?: number;
  /** The name as the binding writes it (before `.fifo` is added), when it does. */
  readonly declared?: string;
  /** How the name was made, for messages: "the binding's name", "derived: <queue>-dlq". */
  readonly origin: string;
}

export interface ConsumerQueuePlan {
  readonly fifo: boolean;
  readonly queue?: PlannedQueue;
  readonly deadLetterQueue?: PlannedQueue;
  /**
   * The EventBridge target's dead-letter queue, a standard queue that the CDK construct names
   * `<queue name without .fifo>-target-dlq` (runtime/cdk-service-events.ts, `targetDeadLetterQueue`).
   */
  readonly targetDeadLetterQueue?: PlannedQueue;
  /** The binding's queues as written: the first is the consumer's queue. */
  readonly main?: Readonly<Record<string, unknown>>;
  readonly dlq?: Readonly<Record<string, unknown>>;
  readonly redrive?: Readonly<Record<string, unknown>>;
}

/** The queues of a `delivery: queue` consumer, from its `sqs` binding (bindingVersion 0.2.0). */
export function consumerQueuePlan(consumer: Consumer): ConsumerQueuePlan {
  const queues = consumer.sqsQueues;
  const main = queues[0];
  const fifo = main?.fifoQueue === true;
  const redrive = isObject(main?.redrivePolicy) ? main.redrivePolicy : undefined;
  const declaredDlq =
    isObject(redrive?.deadLetterQueue) && typeof redrive.deadLetterQueue.name === 'string'
      ? redrive.deadLetterQueue.name
      : undefined;
  const mainName = typeof main?.name === 'string' ? main.name : undefined;
  const dlqName =
    declaredDlq ?? (mainName !== undefined ? `${mainName.replace(/\.fifo$/, '')}-dlq` : undefined);
  const dlqIndex = queues.findIndex((q, i) => i > 0 && q.name === dlqName);
  const dlq = dlqIndex > 0 ? queues[dlqIndex] : undefined;
  const dlqFifo = dlq ? dlq.fifoQueue === true : fifo;
  return {
    fifo,
    ...(mainName !== undefined
      ? {
          queue: {
            name: fifoName(mainName, fifo),
            fifo,
            bindingIndex: 0,
            declared: mainName,
            origin: "the sqs binding's queue name",
          },
          targetDeadLetterQueue: {
            name: `${mainName.replace(/\.fifo$/, '')}-target-dlq`,
            fifo: false,
            bindingIndex: 0,
            origin: `derived from the queue name: ${mainName.replace(/\.fifo$/, '')} + "-target-dlq" (the rule target's dead-letter queue)`,
          },
        }
      : {}),
    ...(dlqName !== undefined
      ? {
          deadLetterQueue: {
            name: fifoName(dlqName, dlqFifo),
            fifo: dlqFifo,
            ...(dlqIndex > 0 ? { bindingIndex: dlqIndex, declared: dlqName } : { bindingIndex: 0 }),
            origin:
              declaredDlq !== undefined
                ? "the redrive policy's dead-letter queue name"
                : `derived from the queue name: ${dlqName}`,
          },
        }
      : {}),
    ...(main ? { main } : {}),
    ...(dlq ? { dlq } : {}),
    ...(redrive ? { redrive } : {}),
  };
}

/** SQS requires the `.fifo` suffix on FIFO queue names: evtgen adds it when the binding leaves it out. */
function fifoName(name: string, fifo: boolean): string {
  return fifo && !name.endsWith('.fifo') ? `${name}.fifo` : name;
}
