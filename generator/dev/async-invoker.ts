/**
 * Lambda's asynchronous invocation, for functions an EventBridge rule targets directly. The rule
 * itself (pattern, retry policy, target DLQ) stays the emulator's: provisioning points the target at
 * an internal queue, because the emulator cannot run Lambda code. This reads that queue and does
 * what Lambda's async invoke does with each event: invoke, retry a failed invocation
 * `MaximumRetryAttempts` times (Lambda waits about 1 then 2 minutes; here `retryDelaySeconds`, then
 * twice that), drop it past `MaximumEventAgeInSeconds`, and send what still failed to the
 * on-failure destination as Lambda's destination record.
 */
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ConsumerCounts } from './counters.js';
import type { InvokeResult } from './function-protocol.js';
import { PollLoop } from './poll-loop.js';
import { idlePollMs, sleep } from './queue-poller.js';

export interface AsyncInvokerOptions {
  readonly sqs: SQSClient;
  /** The internal queue the rule delivers to. */
  readonly invokeQueueUrl: string;
  readonly functionArn: string;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
  /** URL of the on-failure destination queue, if the function has one. */
  readonly onFailureQueueUrl: string | undefined;
  readonly retryDelaySeconds: number;
  /** Events handled at once. */
  readonly concurrency: number;
  readonly invoke: (event: unknown) => Promise<InvokeResult>;
  readonly counts: ConsumerCounts;
  readonly onError: (error: unknown) => void;
  /** Called when an event is given up on (for the logs). */
  readonly onGiveUp?: (event: unknown, reason: string) => void;
  /** Each attempt's outcome, and the final give-up (for the event journal). */
  readonly onOutcome?: (outcome: 'processed' | 'failed' | 'given-up', event: unknown) => void;
}

export class AsyncInvoker extends PollLoop {
  readonly #options: AsyncInvokerOptions;
  #queueVisibility: Promise<number> | undefined;

  constructor(options: AsyncInvokerOptions) {
    super();
    this.#options = options;
  }

  protected override async poll(): Promise<void> {
    const { sqs, invokeQueueUrl, concurrency } = this.#options;
    while (this.running) {
      await this.capacity(concurrency);
      if (!this.running) break;
      let messages: Message[];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: invokeQueueUrl,
            MaxNumberOfMessages: Math.min(10, concurrency - this.inFlight),
            // No long polling: see queue-poller.ts.
            WaitTimeSeconds: 0,
          }),
        );
        messages = received.Messages ?? [];
        if (messages.length === 0) await sleep(idlePollMs);
      } catch (error) {
        this.#options.onError(error);
        await sleep(1000);
        continue;
      }
      for (const message of messages) {
        this.track(this.#handle(message), this.#options.onError);
      }
    }
  }

  async #handle(message: Message): Promise<void> {
    const { counts, maximumRetryAttempts, maximumEventAgeInSeconds } = this.#options;
    const event: unknown = JSON.parse(message.Body ?? 'null');
    const eventTime = Date.parse((event as { time?: string } | null)?.time ?? '') || Date.now();
    let attempts = 0;
    let last: InvokeResult | undefined;
    let condition: 'RetriesExhausted' | 'EventAgeExceeded' = 'RetriesExhausted';
    while (attempts <= maximumRetryAttempts) {
      if (attempts > 0) {
        if (!this.running) return; // stays in the internal queue: delivered again on the next start
        const delaySeconds = this.#options.retryDelaySeconds * 2 ** (attempts - 1);
        await this.#keepInvisible(message, delaySeconds);
        await sleep(delaySeconds * 1000);
      }
      if (Date.now() - eventTime > maximumEventAgeInSeconds * 1000) {
        condition = 'EventAgeExceeded';
        break;
      }
      attempts++;
      counts.received++;
      counts.inFlight++;
      try {
        last = await this.#options.invoke(event);
      } finally {
        counts.inFlight--;
      }
      if (last.ok) {
        counts.succeeded++;
        this.#options.onOutcome?.('processed', event);
        await this.#delete(message);
        return;
      }
      counts.failed++;
      this.#options.onOutcome?.('failed', event);
    }
    await this.#sendToOnFailure(event, last, attempts, condition);
    await this.#delete(message);
  }

  async #sendToOnFailure(
    event: unknown,
    last: InvokeResult | undefined,
    attempts: number,
    condition: 'RetriesExhausted' | 'EventAgeExceeded',
  ): Promise<void> {
    const { onFailureQueueUrl, counts } = this.#options;
    this.#options.onGiveUp?.(event, condition);
    this.#options.onOutcome?.('given-up', event);
    if (!onFailureQueueUrl) return;
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: last?.requestId ?? randomUUID(),
        functionArn: `${this.#options.functionArn}:$LATEST`,
        condition,
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload:
        last && !last.ok ? { errorType: last.errorType, errorMessage: last.errorMessage, trace: [] } : null,
    };
    await this.#options.sqs.send(
      new SendMessageCommand({ QueueUrl: onFailureQueueUrl, MessageBody: JSON.stringify(record) }),
    );
    counts.sentToOnFailure++;
  }

  /**
   * Keeps a retrying event hidden for the delay and then the queue's visibility timeout (the
   * function's timeout and a margin), so that it is not received and handled a second time meanwhile.
   */
  async #keepInvisible(message: Message, delaySeconds: number): Promise<void> {
    const { sqs, invokeQueueUrl } = this.#options;
    this.#queueVisibility ??= sqs
      .send(
        new GetQueueAttributesCommand({ QueueUrl: invokeQueueUrl, AttributeNames: ['VisibilityTimeout'] }),
      )
      .then(({ Attributes }) => Number(Attributes?.VisibilityTimeout ?? 30));
    const visibility = await this.#queueVisibility;
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: invokeQueueUrl,
        ReceiptHandle: message.ReceiptHandle ?? '',
        VisibilityTimeout: Math.min(43_200, Math.ceil(delaySeconds) + visibility),
      }),
    );
  }

  async #delete(message: Message): Promise<void> {
    await this.#options.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: this.#options.invokeQueueUrl,
        ReceiptHandle: message.ReceiptHandle ?? '',
      }),
    );
  }
}
