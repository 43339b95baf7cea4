/**
 * The service as a system, on moto's server (real SQS, EventBridge and DynamoDB APIs over loopback):
 * clients, provisioning of what the contract declares, and the two pieces of Lambda's event-source
 * mapping the flow tests need — an SQS poller (receive, invoke, delete what succeeded) and a
 * DynamoDB-stream reader for the outbox relay. Those two are stand-ins for Lambda's pollers (there is
 * no Lambda service here); everything they call is the emulator's real API and the bundled handlers.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { credentials } from './aws.js';
import { lambdaContext } from './lambda.js';

export const region = 'us-east-1';
export const account = '123456789012';

export interface Clients {
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
}

export function clients(endpoint: string): Clients {
  const config = { endpoint, region, credentials, maxAttempts: 1 };
  return {
    sqs: new SQSClient(config),
    events: new EventBridgeClient(config),
    dynamo: new DynamoDBClient(config),
    streams: new DynamoDBStreamsClient(config),
  };
}

/** Points every AWS SDK client the handlers create at the emulator (the SDK's own variables). */
export function useEndpoint(endpoint: string, extra: Record<string, string> = {}): () => void {
  const values: Record<string, string> = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_DEV: 'false',
    ...extra,
  };
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export interface QueuePair {
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
  readonly deadLetterArn: string;
}

/** A queue with a dead-letter queue (redrive after `maxReceiveCount`), FIFO when the name says so. */
export async function createQueuePair(
  sqs: SQSClient,
  name: string,
  options: { maxReceiveCount?: number; visibilityTimeout?: number; contentBasedDeduplication?: boolean } = {},
): Promise<QueuePair> {
  const fifo = name.endsWith('.fifo');
  const base = name.replace(/\.fifo$/, '');
  const fifoAttributes = (dedup: boolean) =>
    fifo ? { FifoQueue: 'true', ContentBasedDeduplication: String(dedup) } : {};
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${base}-dlq${fifo ? '.fifo' : ''}`,
      Attributes: fifoAttributes(true),
    }),
  );
  const deadLetterUrl = dlq.QueueUrl ?? '';
  const deadLetterArn = await queueArn(sqs, deadLetterUrl);
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        ...fifoAttributes(options.contentBasedDeduplication ?? true),
        VisibilityTimeout: String(options.visibilityTimeout ?? 1),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetterArn,
          maxReceiveCount: options.maxReceiveCount ?? 5,
        }),
      },
    }),
  );
  const url = queue.QueueUrl ?? '';
  return { url, arn: await queueArn(sqs, url), deadLetterUrl, deadLetterArn };
}

export async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? '';
}

/** A bus (unless `default`) and a rule with `pattern` whose target is the queue. */
export async function routeToQueue(
  events: EventBridgeClient,
  bus: string,
  rule: string,
  pattern: unknown,
  queue: { arn: string; messageGroupId?: string },
): Promise<void> {
  if (bus !== 'default') await events.send(new CreateEventBusCommand({ Name: bus })).catch(ignoreExists);
  await events.send(
    new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify(pattern) }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: rule,
      EventBusName: bus,
      Targets: [
        {
          Id: 'queue',
          Arn: queue.arn,
          ...(queue.messageGroupId ? { SqsParameters: { MessageGroupId: queue.messageGroupId } } : {}),
        },
      ],
    }),
  );
}

function ignoreExists(error: unknown): void {
  if ((error as Error).name !== 'ResourceAlreadyExistsException') throw error;
}

/** A table with a string partition key, optionally with a stream of new images. */
export async function createTable(
  dynamo: DynamoDBClient,
  name: string,
  key: string,
  stream = false,
): Promise<string> {
  const { TableDescription } = await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } } : {}),
    }),
  );
  return TableDescription?.LatestStreamArn ?? '';
}

/** Every message of a queue that is visible now, with attributes; `peek` leaves them in place. */
export async function receiveAll(sqs: SQSClient, url: string, waitSeconds = 0): Promise<Message[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages ?? [];
}

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * One poll of Lambda's SQS event source mapping: receive up to `batchSize` records, invoke the
 * handler, delete the records it did not report as failed. Failed ones stay and come back after the
 * visibility timeout (their receive count grows; SQS moves them to the DLQ after maxReceiveCount).
 */
export async function pumpQueue(
  sqs: SQSClient,
  queue: { url: string; arn: string },
  handler: SqsHandler,
  options: { waitSeconds?: number } = {},
): Promise<{ received: number; failed: string[] }> {
  const messages = await receiveAll(sqs, queue.url, options.waitSeconds ?? 1);
  if (messages.length === 0) return { received: 0, failed: [] };
  const records = messages.map((m) => toSqsRecord(m, queue.arn));
  const response = await handler({ Records: records }, lambdaContext('consumer'));
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
  if (done.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
  return { received: messages.length, failed: [...failed] };
}

function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? randomUUID(),
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId
        ? { MessageDeduplicationId: attributes.MessageDeduplicationId }
        : {}),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

/**
 * Reads a table's stream from the start (every shard) and returns its records in Lambda's
 * DynamoDB-stream event shape, from `after` (a sequence number) on.
 */
export async function readStream(
  streams: DynamoDBStreamsClient,
  streamArn: string,
  after?: string,
): Promise<DynamoDBStreamEvent> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: StreamRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId ?? '',
        ...(after
          ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: ShardIterator ?? '' }));
    records.push(...(Records ?? []));
  }
  return {
    Records: records.map((r) => ({
      eventID: r.eventID ?? '',
      eventName: r.eventName as 'INSERT' | 'MODIFY' | 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: r.dynamodb?.Keys as never,
        NewImage: r.dynamodb?.NewImage as never,
        SequenceNumber: r.dynamodb?.SequenceNumber ?? '',
        SizeBytes: r.dynamodb?.SizeBytes ?? 0,
        StreamViewType: 'NEW_IMAGE',
      },
    })),
  };
}

/**
 * Lambda's stream poller for the outbox relay: each call hands the relay the stream records it has
 * not published yet; what it reports as failed (and every record after it) comes again next call.
 */
export function outboxRelayDriver(
  streams: DynamoDBStreamsClient,
  streamArn: string,
  relay: () => Promise<StreamHandler>,
  invoke: (run: () => Promise<DynamoDBBatchResponse>) => Promise<DynamoDBBatchResponse>,
): () => Promise<{ result: DynamoDBBatchResponse; records: number }> {
  const relayed = new Set<string>();
  return async () => {
    const stream = await readStream(streams, streamArn);
    const fresh = stream.Records.filter((r) => !relayed.has(r.eventID ?? ''));
    const handler = await relay();
    const result = await invoke(() => handler({ Records: fresh }, lambdaContext('relay')));
    const failedAt = result.batchItemFailures[0]?.itemIdentifier;
    for (const record of fresh) {
      if (failedAt && BigInt(record.dynamodb?.SequenceNumber ?? '0') >= BigInt(failedAt)) break;
      relayed.add(record.eventID ?? '');
    }
    return { result, records: fresh.length };
  };
}
