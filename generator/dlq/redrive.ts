/**
 * `evtgen dlq redrive`, the library half: replay a consumer's dead-lettered events into where its
 * events arrive — its queue, or its function — rate limited, each one deleted from the DLQ only once
 * it was sent. The body is sent as it was dead-lettered, so the event keeps its producer id
 * (`detail.eventId`) and the consumer's idempotency still recognises what it already finished.
 *
 * A re-send rather than SQS's message move task: the move task moves a whole queue, and a redrive
 * must be able to leave events out (by type, by age, and those the current contract rejects) and to
 * replay the on-failure records of asynchronous invocations, whose event sits inside the record.
 *
 * First a plan, from a read that leaves everything in place; then, once confirmed, the replay.
 */
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ReplayCheck } from './contract-check.js';
import { type DeadLetter, decodeDeadLetter } from './decode.js';
import { byQueuedAt, queuesOf } from './inspect.js';
import type { DlqInventory } from './inventory.js';
import { peekMessages, queueDepth, releaseMessages } from './peek.js';

export interface RedriveOptions {
  readonly consumer: string;
  /** Only events of this type (detail-type or message name, any case). */
  readonly eventType?: string;
  /** Only events queued at or after this time (epoch ms). */
  readonly since?: number;
  /** Replays per second. */
  readonly rate: number;
  readonly dryRun: boolean;
  /** Replay events the current contract rejects too. */
  readonly force: boolean;
  /** At most this many events (default: all). */
  readonly limit?: number;
  readonly check: ReplayCheck;
  /** Asked once the plan is known (not in a dry run); false stops with nothing replayed. */
  readonly confirm?: (plan: RedrivePlan) => Promise<boolean>;
  readonly onProgress?: (line: string) => void;
}

export type PlanAction = 'replay' | 'skip' | 'reject';

export interface PlannedLetter {
  readonly queue: string;
  readonly letter: DeadLetter;
  readonly action: PlanAction;
  /** Why it is skipped or rejected, or the contract's issues of a forced replay. */
  readonly why?: readonly string[];
}

export interface RedrivePlan {
  readonly consumer: string;
  /** `queue orders-fulfilment`… */
  readonly target: string;
  readonly letters: readonly PlannedLetter[];
}

export interface RedriveResult {
  readonly plan: RedrivePlan;
  readonly dryRun: boolean;
  /** False when the prompt was declined. */
  readonly confirmed: boolean;
  /** Sent to the target and deleted from the DLQ. */
  readonly moved: number;
  /** Left in place: filtered out by --event-type, --since or --limit. */
  readonly skipped: number;
  /** Left in place: the current contract rejects them (no --force). */
  readonly rejected: number;
  /** Left in place: the send or the delete failed, or the message could not be found again. */
  readonly failed: readonly { readonly messageId: string; readonly error: string }[];
}

export async function planRedrive(inventory: DlqInventory, options: RedriveOptions): Promise<RedrivePlan> {
  const target = inventory.targets[options.consumer];
  const queues = queuesOf(inventory, options.consumer);
  if (!target)
    throw new Error(
      `${options.consumer}'s events do not arrive through a rule: there is nowhere to replay them.`,
    );
  const wanted = options.eventType?.toLowerCase();
  const letters: PlannedLetter[] = [];
  let replaying = 0;
  for (const queue of queues) {
    const depth = await queueDepth(inventory.sqs, queue.url);
    if (depth === 0) continue;
    const found = (await peekMessages(inventory.sqs, queue.url, depth))
      .map(decodeDeadLetter)
      .sort(byQueuedAt);
    for (const letter of found) {
      const skip = (why: string): PlannedLetter => ({
        queue: queue.name,
        letter,
        action: 'skip',
        why: [why],
      });
      if (wanted && letter.eventType?.toLowerCase() !== wanted) {
        letters.push(skip(`not ${options.eventType} (${letter.eventType ?? 'unknown type'})`));
        continue;
      }
      if (
        options.since !== undefined &&
        (letter.queuedAt === undefined || Date.parse(letter.queuedAt) < options.since)
      ) {
        letters.push(skip(`queued before ${new Date(options.since).toISOString()}`));
        continue;
      }
      if (options.limit !== undefined && replaying >= options.limit) {
        letters.push(skip(`beyond --limit ${options.limit}`));
        continue;
      }
      const issues = options.check(options.consumer, letter);
      if (issues.length > 0 && !options.force) {
        letters.push({ queue: queue.name, letter, action: 'reject', why: issues });
        continue;
      }
      replaying++;
      letters.push({
        queue: queue.name,
        letter,
        action: 'replay',
        ...(issues.length > 0 ? { why: issues } : {}),
      });
    }
  }
  return { consumer: options.consumer, target: target.description, letters };
}

export async function redrive(inventory: DlqInventory, options: RedriveOptions): Promise<RedriveResult> {
  const plan = await planRedrive(inventory, options);
  const count = (action: PlanAction) => plan.letters.filter((l) => l.action === action).length;
  const base = { plan, dryRun: options.dryRun, skipped: count('skip'), rejected: count('reject') };
  const toReplay = plan.letters.filter((l) => l.action === 'replay');
  if (options.dryRun || toReplay.length === 0) return { ...base, confirmed: true, moved: 0, failed: [] };
  if (options.confirm && !(await options.confirm(plan)))
    return { ...base, confirmed: false, moved: 0, failed: [] };

  const target = inventory.targets[options.consumer];
  if (!target) throw new Error(`no replay target for ${options.consumer}`);
  const failed: { messageId: string; error: string }[] = [];
  let moved = 0;
  const intervalMs = 1000 / options.rate;
  // What is not replayed stays hidden for the run (so it is not received again), then is released.
  const hideSeconds = Math.min(43_200, Math.ceil(toReplay.length / options.rate) + 120);
  for (const queue of inventory.queues.filter((q) => q.consumers.includes(options.consumer))) {
    const wanted = new Set(toReplay.filter((l) => l.queue === queue.name).map((l) => l.letter.messageId));
    if (wanted.size === 0) continue;
    const held: Message[] = [];
    try {
      for (let emptyRounds = 0; wanted.size > 0 && emptyRounds < 3; ) {
        const { Messages = [] } = await inventory.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: hideSeconds,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        emptyRounds = Messages.length === 0 ? emptyRounds + 1 : 0;
        for (const message of Messages) {
          const id = message.MessageId ?? '';
          if (!wanted.has(id)) {
            held.push(message);
            continue;
          }
          wanted.delete(id);
          const started = Date.now();
          const error = await replayOne(inventory.sqs, queue.url, message, target);
          if (error) {
            failed.push({ messageId: id, error });
            held.push(message);
          } else moved++;
          options.onProgress?.(`${moved} of ${toReplay.length} replayed into ${target.description}`);
          const wait = intervalMs - (Date.now() - started);
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
      for (const id of wanted)
        failed.push({ messageId: id, error: 'not found in the queue again (taken by another reader?)' });
    } finally {
      await releaseMessages(inventory.sqs, queue.url, held);
    }
  }
  return { ...base, confirmed: true, moved, failed };
}

/** Sends the event back and deletes the message; returns the error, if any. */
async function replayOne(
  sqs: SQSClient,
  queueUrl: string,
  message: Message,
  target: {
    send: (event: Readonly<Record<string, unknown>>, key: string, groupId?: string) => Promise<void>;
  },
): Promise<string | undefined> {
  const letter = decodeDeadLetter(message);
  if (!letter.event) return 'the message holds no EventBridge event';
  try {
    await target.send(letter.event, letter.messageId, letter.groupId);
  } catch (error) {
    return `not sent: ${(error as Error).message}`;
  }
  try {
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
  } catch (error) {
    // Sent but still in the DLQ: a second redrive would replay it again (the consumer dedupes it).
    return `sent, but not deleted from the DLQ: ${(error as Error).message}`;
  }
  return undefined;
}
