/**
 * The end of a phase against a deployed stack: wait until the consumers' queues are empty and
 * CloudWatch has caught up (every event the accepted requests should have published is counted, and
 * no count has moved for a while: AWS publishes metrics a minute or more late), then count:
 *
 *     lost = expected − processed − dead-lettered − in flight        (per consumer; must be 0)
 *
 * with dead-lettered read as the growth of each dead-letter queue since the phase started. These are
 * totals over the window, not events followed one by one as against `evtgen dev`: other traffic on
 * the stage in the same minutes is counted too, duplicates cannot be told apart, and AWS delivers its
 * metrics best-effort. The report says so beside the figures.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AcceptedRequest } from '../accounting.js';
import type { ConsumerAccounting, EventAccounting } from '../report-types.js';
import { readCounts, readDepths, type StackCounts, type StackDepths } from './stack-counts.js';
import type { StackTopology } from './stack-topology.js';

export const stackAccountingNote =
  'Counted from CloudWatch metrics and SQS depths of the deployed stack: totals over the phase window (other traffic on the stage counts too), duplicates not told apart, and AWS delivers metrics best-effort.';

export interface StackDrainInput {
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  readonly topology: StackTopology;
  /** The contract's event type names (the `eventType` dimension of `EventsPublished`). */
  readonly eventTypes: readonly string[];
  /** Depths when the phase started. */
  readonly before: StackDepths;
  readonly phaseStartedAt: number;
  readonly accepted: readonly AcceptedRequest[];
  readonly timeoutMs: number;
  /** How often to read the queues and metrics (default 15 s). */
  readonly pollMs?: number;
  /** How long every count must stay unchanged to call the metrics settled (default 90 s). */
  readonly settleMs?: number;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export async function drainStack(input: StackDrainInput): Promise<EventAccounting> {
  const started = Date.now();
  const pollMs = input.pollMs ?? 15_000;
  const settleMs = input.settleMs ?? 90_000;
  const expectedFromRequests = input.accepted.reduce((sum, r) => sum + r.emits.length, 0);
  let lastSeen = '';
  let lastChange = Date.now();
  for (;;) {
    const [after, counts] = await Promise.all([
      readDepths(input.sqs, input.topology),
      readCounts(input.cloudWatch, input.topology, input.eventTypes, {
        start: input.phaseStartedAt,
        end: Date.now(),
      }),
    ]);
    const seen = JSON.stringify(counts);
    if (seen !== lastSeen) {
      lastSeen = seen;
      lastChange = Date.now();
    }
    const inFlight = Object.values(after.inFlight).reduce((sum, n) => sum + n, 0);
    const published = publishedTotal(counts);
    // Every publish the accepted requests owe is counted, or sits in the outbox relay's DLQ.
    const caughtUp =
      published === undefined ||
      published + relayDeadLettered(input.topology, input.before, after) >= expectedFromRequests;
    const drained = inFlight === 0 && caughtUp && Date.now() - lastChange >= settleMs;
    if (drained || Date.now() - started >= input.timeoutMs || input.signal?.aborted)
      return accountStack({
        topology: input.topology,
        before: input.before,
        after,
        counts,
        expectedFromRequests,
        drained,
        drainMs: Date.now() - started,
      });
    input.onProgress?.(
      `waiting for the stack: ${inFlight} queued, ${published ?? '?'} of ${expectedFromRequests} published in CloudWatch, counts still ${Math.round((Date.now() - lastChange) / 1000)} s (${Math.round((Date.now() - started) / 1000)} s)`,
    );
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export interface StackAccountingInput {
  readonly topology: StackTopology;
  readonly before: StackDepths;
  readonly after: StackDepths;
  readonly counts: StackCounts;
  readonly expectedFromRequests: number;
  readonly drained: boolean;
  readonly drainMs: number;
}

/** The phase's accounting from the counts and the depths before and after. */
export function accountStack(input: StackAccountingInput): EventAccounting {
  const { topology, before, after, counts } = input;
  const consumers: Record<string, ConsumerAccounting> = {};
  for (const consumer of topology.consumers) {
    const c = counts.consumers[consumer.name] ?? {
      expected: 0,
      done: 0,
      handlerDeadLettered: 0,
      failedAttempts: 0,
    };
    const deadLettered = grownBy(topology, before, after, (first) => first === consumer.name);
    const inFlight = after.inFlight[consumer.name] ?? 0;
    consumers[consumer.name] = {
      expected: c.expected,
      processed: c.done,
      deadLettered,
      inFlight,
      lost: Math.max(0, c.expected - c.done - deadLettered - inFlight),
      failedAttempts: c.failedAttempts,
    };
  }
  const relay = relayDeadLettered(topology, before, after);
  const published = publishedTotal(counts);
  const unpublished = published === undefined ? 0 : Math.max(0, input.expectedFromRequests - published);
  const lostByConsumers = Object.values(consumers).reduce((sum, c) => sum + c.lost, 0);
  return {
    source: 'cloudwatch',
    note:
      published === undefined
        ? `${stackAccountingNote} The functions declare no Powertools metrics namespace, so publishing is not counted.`
        : stackAccountingNote,
    published: published ?? 0,
    publishedByType: Object.fromEntries(
      Object.entries(counts.publishedByType ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    ),
    expectedFromRequests: input.expectedFromRequests,
    unpublished,
    consumers,
    lost: lostByConsumers + (input.drained ? Math.max(0, unpublished - relay) : 0),
    drained: input.drained,
    drainMs: input.drainMs,
  };
}

/**
 * Events the outbox relay gave up on (its on-failure DLQ, the only one no consumer owns): never
 * published, but not lost.
 */
function relayDeadLettered(topology: StackTopology, before: StackDepths, after: StackDepths): number {
  const consumerNames = new Set(topology.consumers.map((c) => c.name));
  return grownBy(topology, before, after, (first) => first === undefined || !consumerNames.has(first));
}

/** How much the dead-letter queues whose (first) consumer passes `owner` grew during the phase. */
function grownBy(
  topology: StackTopology,
  before: StackDepths,
  after: StackDepths,
  owner: (first: string | undefined) => boolean,
): number {
  return topology.deadLetterQueues
    .filter((q) => owner(q.consumers[0]))
    .reduce(
      (sum, q) => sum + Math.max(0, (after.deadLetter[q.url] ?? 0) - (before.deadLetter[q.url] ?? 0)),
      0,
    );
}

function publishedTotal(counts: StackCounts): number | undefined {
  return counts.publishedByType
    ? Object.values(counts.publishedByType).reduce((sum, n) => sum + n, 0)
    : undefined;
}
