/**
 * `evtgen dlq list` and `evtgen dlq show`, the library half: each dead-letter queue with its depth
 * and the age of its oldest message, and a consumer's dead-lettered events decoded with their
 * reasons — read without taking anything out (peek.ts).
 */
import { closestNames } from '../send/find-event.js';
import { type DeadLetter, decodeDeadLetter } from './decode.js';
import { type DeadLetterQueueInfo, type DlqInventory, DlqSetupError } from './inventory.js';
import { peekMessages, queueDepth } from './peek.js';

/** How many messages a queue is read for its oldest one (SQS has no "oldest" attribute). */
export const scanLimit = 1000;

export interface QueueSummary extends DeadLetterQueueInfo {
  readonly depth: number;
  /** When the oldest message read entered its queue; absent when empty. */
  readonly oldestQueuedAt?: string;
  /** Messages read to find it: fewer than `depth` means the oldest is of those read. */
  readonly scanned: number;
}

export async function listQueues(inventory: DlqInventory): Promise<QueueSummary[]> {
  return Promise.all(
    inventory.queues.map(async (queue): Promise<QueueSummary> => {
      const depth = await queueDepth(inventory.sqs, queue.url);
      if (depth === 0) return { ...queue, depth, scanned: 0 };
      const letters = (await peekMessages(inventory.sqs, queue.url, Math.min(depth, scanLimit))).map(
        decodeDeadLetter,
      );
      const oldest = letters
        .map((l) => l.queuedAt)
        .filter((t): t is string => t !== undefined)
        .sort()[0];
      return { ...queue, depth, scanned: letters.length, ...(oldest ? { oldestQueuedAt: oldest } : {}) };
    }),
  );
}

export interface ConsumerDeadLetters {
  readonly consumer: string;
  readonly queues: readonly (DeadLetterQueueInfo & {
    readonly depth: number;
    /** Oldest first. */
    readonly letters: readonly DeadLetter[];
  })[];
}

/** Up to `limit` dead-lettered events of `consumer` per queue, oldest first. */
export async function showConsumer(
  inventory: DlqInventory,
  consumer: string,
  limit: number,
): Promise<ConsumerDeadLetters> {
  const queues = queuesOf(inventory, consumer);
  return {
    consumer,
    queues: await Promise.all(
      queues.map(async (queue) => {
        const depth = await queueDepth(inventory.sqs, queue.url);
        const messages =
          depth === 0 ? [] : await peekMessages(inventory.sqs, queue.url, Math.min(depth, scanLimit));
        const letters = messages.map(decodeDeadLetter).sort(byQueuedAt).slice(0, limit);
        return { ...queue, depth, letters };
      }),
    ),
  };
}

/** The consumer's dead-letter queues; an unknown name is an error with the names there are. */
export function queuesOf(inventory: DlqInventory, consumer: string): DeadLetterQueueInfo[] {
  const queues = inventory.queues.filter((q) => q.consumers.includes(consumer));
  if (queues.length > 0) return queues;
  const known = [...new Set(inventory.queues.flatMap((q) => q.consumers))].sort();
  const close = closestNames(consumer, known);
  throw new DlqSetupError(
    `${consumer} has no dead-letter queue in ${inventory.where}.${close.length > 0 ? ` Did you mean ${close.join(' or ')}?` : ''} Consumers with one: ${known.join(', ')}.`,
  );
}

export function byQueuedAt(a: DeadLetter, b: DeadLetter): number {
  return (a.queuedAt ?? '').localeCompare(b.queuedAt ?? '') || a.messageId.localeCompare(b.messageId);
}
