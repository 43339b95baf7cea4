/**
 * Poison events straight to the dead-letter queue. An event that fails validation (not JSON, not an
 * event of this consumer, a detail off the contract) fails the same way on every receive: retrying
 * it `maxReceiveCount` times only delays the DLQ alarm and, on a FIFO queue, holds up its message
 * group. The consumer sends it to its DLQ at once, with the reason attached as message attributes,
 * and then treats the record as handled. If that send fails, the record fails as before and SQS's
 * redrive policy (or Lambda's on-failure destination) still catches it: nothing is lost either way.
 * An SQS consumer also sends a record here on its last receive (`MAX_RECEIVE_COUNT`), with the error
 * that failed it, so that `evtgen dlq show` can say why.
 */
import { type MessageAttributeValue, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

/** SQS message attributes hold at most 256 KB in all; the reason is cut well below that. */
const maxReasonLength = 4000;

export interface DeadLetterReason {
  readonly consumer: string;
  /** The error class, e.g. `InvalidEventError`. */
  readonly errorName: string;
  readonly message: string;
  /** `/data/lines/0/quantity: must be >= 1`, … */
  readonly issues?: readonly { readonly pointer: string; readonly message: string }[];
}

export class DeadLetterQueue {
  readonly #url: string;
  readonly #client: SQSClient;

  constructor(url: string, client?: SQSClient) {
    this.#url = url;
    this.#client = client ?? new SQSClient({});
  }

  /** The queue's URL from `DEAD_LETTER_QUEUE_URL`, or undefined when the function has none. */
  static fromEnvironment(client?: SQSClient): DeadLetterQueue | undefined {
    const url = process.env.DEAD_LETTER_QUEUE_URL;
    return url ? new DeadLetterQueue(url, client) : undefined;
  }

  /** Sends `body` (the event as it arrived) with the reason; throws when SQS does not take it. */
  async send(body: string, reason: DeadLetterReason, record?: SQSRecord): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {
      'evtgen-consumer': text(reason.consumer),
      'evtgen-error': text(reason.errorName),
      'evtgen-reason': text(describe(reason)),
    };
    if (record) {
      attributes['evtgen-source-message-id'] = text(record.messageId);
      attributes['evtgen-receive-count'] = {
        DataType: 'Number',
        StringValue: record.attributes.ApproximateReceiveCount,
      };
      attributes['evtgen-source-queue'] = text(record.eventSourceARN);
    }
    const fifo = this.#url.endsWith('.fifo');
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#url,
        MessageBody: body,
        MessageAttributes: attributes,
        ...(fifo
          ? {
              // The same group as in the source queue, and one copy per source message.
              MessageGroupId: record?.attributes.MessageGroupId ?? reason.consumer,
              MessageDeduplicationId: record?.messageId ?? undefined,
            }
          : {}),
      }),
    );
  }
}

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value || '-' };
}

function describe(reason: DeadLetterReason): string {
  const issues = (reason.issues ?? []).map((i) => `${i.pointer || '/'}: ${i.message}`);
  const full = [reason.message, ...issues].join('\n');
  return full.length > maxReasonLength ? `${full.slice(0, maxReasonLength - 1)}…` : full;
}
