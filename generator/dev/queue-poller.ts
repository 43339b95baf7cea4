/**
 * Lambda's SQS event source mapping, on the emulator's real queue: long-polls, gathers a batch (up
 * to the batch size, or until the batching window closes), invokes the function with up to
 * `MaximumConcurrency` batches at once, and with `ReportBatchItemFailures` deletes only the records
 * the function did not report (a failed invocation deletes none). What is not deleted comes back
 * when its visibility timeout ends; the queue's redrive policy (the emulator's, not ours) moves it to
 * the DLQ after `maxReceiveCount` receives.
 *
 * One deliberate difference, for a usable development loop: a failed record's visibility is set to
 * `retryDelaySeconds` (default 1 s) instead of waiting out the queue's timeout (180 s in the
 * example), so retries and redrives happen in seconds. The receive counting is unchanged.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { ConsumerCounts } from './counters.js';
import type { InvokeResult } from './function-protocol.js';
import { PollLoop } from './poll-loop.js';

export interface QueuePollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  /** Batches in flight at once (Lambda's MaximumConcurrency; Lambda's own minimum is 2). */
  readonly maximumConcurrency: number;
  readonly reportBatchItemFailures: boolean;
  /** Seconds until a failed record is visible again; undefined keeps the queue's visibility timeout. */
  readonly retryDelaySeconds: number | undefined;
  readonly invoke: (event: { Records: SQSRecord[] }) => Promise<InvokeResult>;
  readonly counts: ConsumerCounts;
  /** Errors of the poller itself (the emulator went away, a call was refused). */
  readonly onError: (error: unknown) => void;
  /** The message bodies each invocation finished and failed (for the event journal). */
  readonly onOutcome?: (done: readonly string[], failed: readonly string[]) => void;
}

/**
 * Receives do not wait on the server (no long polling): the emulator serves one request at a time
 * (see moto-server.ts), so a waiting receive would hold up every other call. An empty queue is
 * polled again after `idlePollMs`.
 */
export const idlePollMs = 200;

export class QueuePoller extends PollLoop {
  readonly #options: QueuePollerOptions;

  constructor(options: QueuePollerOptions) {
    super();
    this.#options = options;
  }

  protected override async poll(): Promise<void> {
    while (this.running) {
      await this.capacity(this.#options.maximumConcurrency);
      if (!this.running) break;
      let batch: Message[];
      try {
        batch = await this.#collectBatch();
      } catch (error) {
        this.#options.onError(error);
        await sleep(1000);
        continue;
      }
      if (batch.length === 0) continue;
      this.track(this.#process(batch), this.#options.onError);
    }
  }

  /** One batch: what the first receive returns, topped up until full or the batching window closes. */
  async #collectBatch(): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.#options;
    const batch = await this.#receive(Math.min(batchSize, 10));
    if (batch.length === 0) {
      await sleep(idlePollMs);
      return batch;
    }
    const closes = Date.now() + maximumBatchingWindowSeconds * 1000;
    while (this.running && batch.length < batchSize && Date.now() < closes) {
      const more = await this.#receive(Math.min(batchSize - batch.length, 10));
      if (more.length === 0) await sleep(Math.min(100, Math.max(0, closes - Date.now())));
      batch.push(...more);
    }
    return batch;
  }

  async #receive(max: number): Promise<Message[]> {
    const { Messages } = await this.#options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#options.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages ?? [];
  }

  async #process(batch: Message[]): Promise<void> {
    const { counts } = this.#options;
    const records = batch.map((m) => toSqsRecord(m, this.#options.queueArn, this.#options.region));
    counts.received += records.length;
    counts.inFlight += records.length;
    let failedIds: Set<string>;
    try {
      const outcome = await this.#options.invoke({ Records: records });
      failedIds = outcome.ok
        ? this.#reportedFailures(outcome.result, records)
        : new Set(records.map((r) => r.messageId));
    } catch (error) {
      // No environment ran it (the function is gone, evtgen dev is stopping): a failed invocation.
      this.#options.onError(error);
      failedIds = new Set(records.map((r) => r.messageId));
    } finally {
      counts.inFlight -= records.length;
    }
    const done = batch.filter((m) => !failedIds.has(m.MessageId ?? ''));
    const failed = batch.filter((m) => failedIds.has(m.MessageId ?? ''));
    await this.#deleteAll(done);
    counts.succeeded += done.length;
    counts.failed += failed.length;
    this.#options.onOutcome?.(
      done.map((m) => m.Body ?? ''),
      failed.map((m) => m.Body ?? ''),
    );
    await this.#retrySoon(failed);
  }

  /**
   * Lambda's reading of a batch response: without ReportBatchItemFailures, or with an empty list,
   * every record succeeded; an identifier that is empty or not in the batch fails the whole batch.
   */
  #reportedFailures(result: unknown, records: readonly SQSRecord[]): Set<string> {
    if (!this.#options.reportBatchItemFailures) return new Set();
    const failures = (result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
    if (!Array.isArray(failures)) return new Set();
    const ids = new Set(records.map((r) => r.messageId));
    const reported = failures.map((f: { itemIdentifier?: unknown }) => f?.itemIdentifier);
    if (reported.some((id) => typeof id !== 'string' || !ids.has(id))) return ids;
    return new Set(reported as string[]);
  }

  async #deleteAll(messages: readonly Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      await this.#options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#options.queueUrl,
          Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
  }

  async #retrySoon(messages: readonly Message[]): Promise<void> {
    const delay = this.#options.retryDelaySeconds;
    if (delay === undefined || messages.length === 0) return;
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      await this.#options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#options.queueUrl,
          Entries: chunk.map((m, j) => ({
            Id: String(j),
            ReceiptHandle: m.ReceiptHandle ?? '',
            VisibilityTimeout: delay,
          })),
        }),
      );
    }
  }
}

/** An SQS message as Lambda's event source mapping hands it to the function. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const now = String(Date.now());
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? now,
      SenderId: attributes.SenderId ?? 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? now,
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId
        ? { MessageDeduplicationId: attributes.MessageDeduplicationId }
        : {}),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: toLambdaAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function toLambdaAttributes(attributes: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  const converted: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    converted[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
        : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return converted;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
