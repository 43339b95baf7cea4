/**
 * Lambda's DynamoDB Streams event source mapping (the outbox relay's), on the emulator's real
 * stream: reads each shard in order from the starting position, applies the mapping's
 * `FilterCriteria`, invokes with up to `BatchSize` records, and on failure retries from the first
 * failed record (`ReportBatchItemFailures`) or halves the batch (`BisectBatchOnFunctionError`).
 * A batch that still fails after `MaximumRetryAttempts` (or past `MaximumRecordAgeInSeconds`) goes
 * to the on-failure destination as Lambda's batch-info record, and the shard moves on. A shard
 * never skips a record otherwise: the stream is the outbox, and an unpublished row is a lost event.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ConsumerCounts } from './counters.js';
import type { InvokeResult } from './function-protocol.js';
import { PollLoop } from './poll-loop.js';
import { sleep } from './queue-poller.js';
import { matchesFilter } from './record-filter.js';

export interface StreamPollerOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly streamArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly filterPatterns: readonly string[];
  readonly bisectBatchOnFunctionError: boolean;
  readonly reportBatchItemFailures: boolean;
  /** Lambda's default: -1, retry until the record expires. */
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeInSeconds: number;
  readonly onFailureQueueUrl: string | undefined;
  readonly functionArn: string;
  readonly retryDelaySeconds: number;
  readonly invoke: (event: { Records: DynamoDBRecord[] }) => Promise<InvokeResult>;
  readonly counts: ConsumerCounts;
  readonly onError: (error: unknown) => void;
}

/** Lambda polls a shard about four times a second. */
const pollIntervalMs = 250;

export class StreamPoller extends PollLoop {
  readonly #options: StreamPollerOptions;
  readonly #filters: readonly { readonly [key: string]: unknown }[];

  constructor(options: StreamPollerOptions) {
    super();
    this.#options = options;
    this.#filters = options.filterPatterns.map((p) => JSON.parse(p) as { readonly [key: string]: unknown });
  }

  protected override async poll(): Promise<void> {
    const { streams, streamArn } = this.#options;
    const iterators = new Map<string, string>();
    while (this.running) {
      try {
        const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        for (const shard of StreamDescription?.Shards ?? []) {
          const shardId = shard.ShardId ?? '';
          if (!iterators.has(shardId)) {
            const { ShardIterator } = await streams.send(
              new GetShardIteratorCommand({
                StreamArn: streamArn,
                ShardId: shardId,
                ShardIteratorType: this.#options.startingPosition,
              }),
            );
            if (ShardIterator) iterators.set(shardId, ShardIterator);
          }
        }
        let read = 0;
        for (const [shardId, iterator] of iterators) {
          const { Records, NextShardIterator } = await streams.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: this.#options.batchSize }),
          );
          const records = (Records ?? []).map((r) => this.#toLambdaRecord(r)).filter((r) => this.#passes(r));
          read += Records?.length ?? 0;
          if (records.length > 0) await this.#deliver(records, shardId);
          // Past these records only once they are delivered: when delivering throws, they are read again.
          if (NextShardIterator) iterators.set(shardId, NextShardIterator);
          else iterators.delete(shardId);
        }
        if (read === 0) await sleep(pollIntervalMs);
      } catch (error) {
        this.#options.onError(error);
        await sleep(1000);
      }
    }
  }

  #passes(record: DynamoDBRecord): boolean {
    return this.#filters.length === 0 || this.#filters.some((f) => matchesFilter(f, record));
  }

  /** Delivers one batch until it succeeds or is given up on; retries from the first failure. */
  async #deliver(batch: DynamoDBRecord[], shardId: string): Promise<void> {
    const { counts, maximumRetryAttempts } = this.#options;
    let pending = batch;
    let retries = 0;
    while (pending.length > 0) {
      counts.received += pending.length;
      counts.inFlight += pending.length;
      let outcome: InvokeResult;
      try {
        outcome = await this.#options.invoke({ Records: pending });
      } finally {
        counts.inFlight -= pending.length;
      }
      const failedFrom = outcome.ok ? this.#firstFailure(outcome.result, pending) : 0;
      if (failedFrom === undefined) {
        counts.succeeded += pending.length;
        return;
      }
      counts.succeeded += failedFrom;
      counts.failed += pending.length - failedFrom;
      pending = pending.slice(failedFrom);
      if (!outcome.ok && this.#options.bisectBatchOnFunctionError && pending.length > 1) {
        // Lambda splits a failing batch in two and retries each half; the first half goes first.
        const half = Math.ceil(pending.length / 2);
        const [first, second] = [pending.slice(0, half), pending.slice(half)];
        await this.#deliver(first, shardId);
        pending = second;
        continue;
      }
      retries++;
      // -1 is Lambda's "infinite".
      const tooOld =
        this.#options.maximumRecordAgeInSeconds >= 0 &&
        pending.some(
          (r) =>
            Date.now() - (r.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000 >
            this.#options.maximumRecordAgeInSeconds * 1000,
        );
      if ((maximumRetryAttempts >= 0 && retries > maximumRetryAttempts) || tooOld || !this.running) {
        if (!this.running) return;
        await this.#sendToOnFailure(
          pending,
          shardId,
          retries,
          tooOld ? 'RecordAgeExceeded' : 'RetryAttemptsExhausted',
        );
        return;
      }
      await sleep(this.#options.retryDelaySeconds * 1000);
    }
  }

  /** Index of the first failed record, or undefined when all succeeded (Lambda's reading of the response). */
  #firstFailure(result: unknown, records: readonly DynamoDBRecord[]): number | undefined {
    if (!this.#options.reportBatchItemFailures) return undefined;
    const failures = (result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
    if (!Array.isArray(failures) || failures.length === 0) return undefined;
    const indexes = failures.map((f: { itemIdentifier?: unknown }) =>
      records.findIndex((r) => r.dynamodb?.SequenceNumber === f?.itemIdentifier),
    );
    // An identifier not in the batch: Lambda retries the whole batch.
    if (indexes.some((i) => i < 0)) return 0;
    return Math.min(...indexes);
  }

  async #sendToOnFailure(
    records: readonly DynamoDBRecord[],
    shardId: string,
    retries: number,
    condition: string,
  ): Promise<void> {
    const { onFailureQueueUrl, counts } = this.#options;
    if (!onFailureQueueUrl) return;
    const first = records[0]?.dynamodb;
    const last = records[records.length - 1]?.dynamodb;
    const record = {
      requestContext: {
        requestId: crypto.randomUUID(),
        functionArn: `${this.#options.functionArn}:$LATEST`,
        condition,
        approximateInvokeCount: retries,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.SequenceNumber,
        endSequenceNumber: last?.SequenceNumber,
        approximateArrivalOfFirstRecord: new Date(
          (first?.ApproximateCreationDateTime ?? 0) * 1000,
        ).toISOString(),
        approximateArrivalOfLastRecord: new Date(
          (last?.ApproximateCreationDateTime ?? 0) * 1000,
        ).toISOString(),
        batchSize: records.length,
        streamArn: this.#options.streamArn,
      },
    };
    await this.#options.sqs.send(
      new SendMessageCommand({ QueueUrl: onFailureQueueUrl, MessageBody: JSON.stringify(record) }),
    );
    counts.sentToOnFailure += records.length;
  }

  #toLambdaRecord(record: StreamRecord): DynamoDBRecord {
    const d = record.dynamodb;
    const created = d?.ApproximateCreationDateTime;
    return {
      eventID: record.eventID ?? '',
      eventName: record.eventName as 'INSERT' | 'MODIFY' | 'REMOVE',
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.#options.region,
      eventSourceARN: this.#options.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: created
          ? Math.floor(new Date(created).getTime() / 1000)
          : Math.floor(Date.now() / 1000),
        // The SDK's AttributeValue and aws-lambda's are the same wire shape.
        ...(d?.Keys ? { Keys: d.Keys as never } : {}),
        ...(d?.NewImage ? { NewImage: d.NewImage as never } : {}),
        ...(d?.OldImage ? { OldImage: d.OldImage as never } : {}),
        SequenceNumber: d?.SequenceNumber ?? '',
        SizeBytes: d?.SizeBytes ?? 0,
        StreamViewType: d?.StreamViewType as 'NEW_IMAGE',
      },
    };
  }
}
