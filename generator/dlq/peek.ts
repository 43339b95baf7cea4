/**
 * Reading what is in a dead-letter queue without taking it out: every message is received (which
 * hides it for a while), its body kept, and its visibility set back to 0 at once, so the queue is as
 * it was — the messages stay for the operator, with their receive count one higher. Receiving with a
 * visibility timeout of 0 is not enough: SQS (and moto) may then answer the same first messages
 * every time.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** The bodies of up to `limit` messages of the queue, left in place. */
export async function peekQueue(sqs: SQSClient, queueUrl: string, limit: number): Promise<string[]> {
  return (await peekMessages(sqs, queueUrl, limit)).map((m) => m.Body ?? '');
}

/**
 * Up to `limit` messages of the queue with their system and message attributes (sent time, receive
 * count, group id, the reason the runtime attached), left in place.
 */
export async function peekMessages(sqs: SQSClient, queueUrl: string, limit: number): Promise<Message[]> {
  const seen = new Map<string, Message>();
  try {
    while (seen.size < limit) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, limit - seen.size),
          VisibilityTimeout: 60,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const fresh = (Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) seen.set(message.MessageId as string, message);
    }
  } finally {
    await releaseMessages(sqs, queueUrl, [...seen.values()]);
  }
  return [...seen.values()];
}

/**
 * The EventBridge event inside a dead-lettered message: the body itself (queue redrive, rule target,
 * a consumer's own dead-lettering), or the `requestPayload` of a Lambda on-failure record.
 */
export function deadLetteredEvent(body: string): unknown {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null && 'requestPayload' in value)
      return (value as { requestPayload: unknown }).requestPayload;
    return value;
  } catch {
    return undefined;
  }
}

/** Messages in the queue: visible, in flight and delayed. */
export async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/** Makes received messages visible again at once (their receipt handles), ten at a time. */
export async function releaseMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<void> {
  const handles = messages.filter((m) => m.ReceiptHandle);
  for (let i = 0; i < handles.length; i += 10)
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: handles.slice(i, i + 10).map((m, index) => ({
          Id: String(index),
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
}
