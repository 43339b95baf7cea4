/**
 * SQS queues of the plan in the emulator, dead-letter queues before the queues that redrive to them
 * (the redrive policy names the DLQ's ARN). A queue that exists already gets the plan's attributes
 * set (a reload after an edit changes a visibility timeout or a redrive in place; messages stay).
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DevQueue } from './plan.js';

/** What a queue's `Ref` (URL) and `Fn::GetAtt` give. */
export interface ProvisionedQueue {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  readonly created: boolean;
}

/**
 * SQS's values for attributes a plan may leave out, set on an existing queue so that removing a
 * setting from the stack resets it (FifoQueue cannot change: it is part of the name).
 */
const resettable: Readonly<Record<string, string>> = {
  VisibilityTimeout: '30',
  MessageRetentionPeriod: '345600',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
};

/** The queues in creation order: each after the dead-letter queue it redrives to. */
export function queueLevels(queues: readonly DevQueue[]): DevQueue[][] {
  const levels: DevQueue[][] = [];
  const done = new Set<string>();
  let remaining = [...queues];
  while (remaining.length > 0) {
    const ready = remaining.filter((q) => !q.redrive || done.has(q.redrive.deadLetterQueue));
    if (ready.length === 0) {
      const names = remaining.map((q) => `${q.logicalId} → ${q.redrive?.deadLetterQueue}`).join(', ');
      throw new Error(
        `The queues' redrive policies form a cycle or name a queue that is not planned: ${names}`,
      );
    }
    levels.push(ready);
    for (const q of ready) done.add(q.logicalId);
    remaining = remaining.filter((q) => !ready.includes(q));
  }
  return levels;
}

/**
 * Creates the queue with `attributes`, or sets them on the queue that exists. `redrivePolicy` is the
 * JSON text of SQS's RedrivePolicy, or undefined for none (an existing one is removed).
 */
export async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: Readonly<Record<string, string>>,
  redrivePolicy: string | undefined,
): Promise<ProvisionedQueue> {
  const existing = await queueUrl(sqs, name);
  let url: string;
  if (existing === undefined) {
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { ...attributes, ...(redrivePolicy ? { RedrivePolicy: redrivePolicy } : {}) },
      }),
    );
    url = created.QueueUrl ?? '';
  } else {
    url = existing;
    const { FifoQueue: _fifo, ...settable } = attributes;
    const reset = Object.fromEntries(Object.entries(resettable).filter(([key]) => !(key in settable)));
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { ...reset, ...settable, RedrivePolicy: redrivePolicy ?? '' },
      }),
    );
  }
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!url || !arn) throw new Error(`Queue ${name}: the emulator returned no URL or ARN`);
  return { url, arn, name, created: existing === undefined };
}

async function queueUrl(sqs: SQSClient, name: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    const code = (error as Error).name;
    if (code === 'QueueDoesNotExist' || code === 'AWS.SimpleQueueService.NonExistentQueue') return undefined;
    throw error;
  }
}
