/**
 * Lambda's DynamoDB Streams event source mapping as `evtgen dev` plays it (stream-poller.ts), on
 * moto's real table stream (NEW_IMAGE, like the outbox's): records in order through the relay's
 * filter `{"eventName":["INSERT"]}`, retries from the first reported failure, bisection on function
 * errors, the batch-info record on the on-failure queue after `maximumRetryAttempts`, and a shard that
 * moves on only then. The function is a stand-in `invoke` returning InvokeResult objects: the
 * poller's job is under test, not the worker's.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ConsumerCounts, DevCounters } from '../../generator/dev/counters.js';
import type { InvokeResult } from '../../generator/dev/function-protocol.js';
import { type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import { StreamPoller, type StreamPollerOptions } from '../../generator/dev/stream-poller.js';
import { clients, createTable, region } from '../helpers/flow.js';
import { motoAvailable } from '../helpers/moto.js';

const available = motoAvailable;

let moto: MotoServer;
let sqs: SQSClient;
let dynamo: DynamoDBClient;
let streams: DynamoDBStreamsClient;
const running: StreamPoller[] = [];
const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:OrdersService-OutboxRelay';
const insertsOnly = '{"eventName":["INSERT"]}';

beforeAll(async () => {
  if (!available) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  moto = await startMotoServer();
  ({ sqs, dynamo, streams } = clients(moto.endpoint));
}, 60_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  await moto?.stop();
});

interface Outbox {
  readonly table: string;
  readonly streamArn: string;
  readonly onFailureQueueUrl: string;
}

/** An outbox-like table streaming new images, and an on-failure queue. */
async function newOutbox(): Promise<Outbox> {
  const table = `outbox-${randomUUID().slice(0, 8)}`;
  const streamArn = await createTable(dynamo, table, 'id', true);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${table}-on-failure` }));
  return { table, streamArn, onFailureQueueUrl: QueueUrl ?? '' };
}

const insert = async (outbox: Outbox, ids: readonly string[]): Promise<void> => {
  for (const id of ids)
    await dynamo.send(
      new PutItemCommand({
        TableName: outbox.table,
        Item: { id: { S: id }, typeName: { S: 'OrderPlaced' }, detail: { S: `{"orderId":"${id}"}` } },
      }),
    );
};

const modify = (outbox: Outbox, id: string) =>
  dynamo.send(
    new UpdateItemCommand({
      TableName: outbox.table,
      Key: { id: { S: id } },
      UpdateExpression: 'SET published = :yes',
      ExpressionAttributeValues: { ':yes': { BOOL: true } },
    }),
  );

const ok = (result: unknown = null): InvokeResult => ({
  ok: true,
  result,
  requestId: randomUUID(),
  durationMs: 1,
});
const failed = (): InvokeResult => ({
  ok: false,
  errorType: 'Error',
  errorMessage: 'PutEvents failed',
  requestId: randomUUID(),
  durationMs: 1,
});

const idOf = (record: DynamoDBRecord): string => record.dynamodb?.NewImage?.id?.S ?? '?';
const seqOf = (record: DynamoDBRecord | undefined): string => record?.dynamodb?.SequenceNumber ?? '';

function startPoller(
  outbox: Outbox,
  invoke: (records: readonly DynamoDBRecord[], call: number) => InvokeResult | Promise<InvokeResult>,
  options: Partial<StreamPollerOptions> = {},
): { batches: DynamoDBRecord[][]; counts: ConsumerCounts; errors: unknown[] } {
  const batches: DynamoDBRecord[][] = [];
  const errors: unknown[] = [];
  const counts = new DevCounters().consumer('outboxRelay');
  const poller = new StreamPoller({
    streams,
    sqs,
    streamArn: outbox.streamArn,
    region,
    batchSize: 10,
    startingPosition: 'TRIM_HORIZON',
    filterPatterns: [insertsOnly],
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: true,
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: 86_400,
    onFailureQueueUrl: outbox.onFailureQueueUrl,
    functionArn,
    retryDelaySeconds: 0,
    invoke: async (event) => {
      batches.push(event.Records);
      return invoke(event.Records, batches.length);
    },
    counts,
    onError: (error) => errors.push(error),
    ...options,
  });
  poller.start();
  running.push(poller);
  return { batches, counts, errors };
}

async function onFailureRecords(outbox: Outbox): Promise<Record<string, unknown>[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: outbox.onFailureQueueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
    }),
  );
  return (Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>);
}

const settle = { timeout: 15_000, interval: 100 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (batches: readonly DynamoDBRecord[][]) => batches.map((batch) => batch.map(idOf));

describe.skipIf(!available)('StreamPoller on moto', () => {
  it('delivers the INSERTs in stream order and filters out the MODIFY', async () => {
    const outbox = await newOutbox();
    await insert(outbox, ['r0', 'r1', 'r2']);
    await modify(outbox, 'r1');
    await insert(outbox, ['r3']);
    const { batches, counts, errors } = startPoller(outbox, () => ok());
    await vi.waitFor(() => expect(batches.flat()).toHaveLength(4), settle);
    await sleep(600);
    expect(batches.flat().map(idOf)).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(batches.flat().every((r) => r.eventName === 'INSERT')).toBe(true);
    const sequence = batches.flat().map((r) => BigInt(seqOf(r)));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
    expect(counts).toEqual({ received: 4, succeeded: 4, failed: 0, sentToOnFailure: 0, inFlight: 0 });
    expect(errors).toEqual([]);
  });

  it("hands records in Lambda's shape", async () => {
    const outbox = await newOutbox();
    await insert(outbox, ['shape']);
    const { batches } = startPoller(outbox, () => ok());
    await vi.waitFor(() => expect(batches).toHaveLength(1), settle);
    const now = Date.now() / 1000;
    expect(batches[0]?.[0]).toEqual({
      eventID: expect.stringMatching(/.+/),
      eventName: 'INSERT',
      eventVersion: expect.stringMatching(/^1\.\d$/),
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      eventSourceARN: outbox.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { id: { S: 'shape' } },
        NewImage: {
          id: { S: 'shape' },
          typeName: { S: 'OrderPlaced' },
          detail: { S: '{"orderId":"shape"}' },
        },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(Math.abs((batches[0]?.[0]?.dynamodb?.ApproximateCreationDateTime ?? 0) - now)).toBeLessThan(60);
  });

  it('re-delivers from the record a batchItemFailure names, not the records before it', async () => {
    const outbox = await newOutbox();
    await insert(outbox, ['k0', 'k1', 'k2', 'k3', 'k4']);
    const { batches, counts } = startPoller(outbox, (records, call) =>
      call === 1
        ? ok({ batchItemFailures: [{ itemIdentifier: seqOf(records[2]) }] })
        : ok({ batchItemFailures: [] }),
    );
    await vi.waitFor(() => expect(batches).toHaveLength(2), settle);
    await sleep(600);
    expect(ids(batches)).toEqual([
      ['k0', 'k1', 'k2', 'k3', 'k4'],
      ['k2', 'k3', 'k4'],
    ]);
    expect(counts).toEqual({ received: 8, succeeded: 5, failed: 3, sentToOnFailure: 0, inFlight: 0 });
  });

  it('retries the whole batch when an identifier is not in it', async () => {
    const outbox = await newOutbox();
    await insert(outbox, ['u0', 'u1']);
    const { batches } = startPoller(outbox, (_records, call) =>
      call === 1 ? ok({ batchItemFailures: [{ itemIdentifier: '42' }] }) : ok(),
    );
    await vi.waitFor(() => expect(batches).toHaveLength(2), settle);
    expect(ids(batches)).toEqual([
      ['u0', 'u1'],
      ['u0', 'u1'],
    ]);
  });

  it('after maximumRetryAttempts sends the batch info to the on-failure queue and moves on to later records', async () => {
    const outbox = await newOutbox();
    await insert(outbox, ['p0', 'p1', 'p2']);
    const { batches, counts } = startPoller(
      outbox,
      (records) => (records.some((r) => idOf(r).startsWith('p')) ? failed() : ok()),
      { maximumRetryAttempts: 1 },
    );
    await vi.waitFor(async () => expect(await onFailureRecords(outbox)).toHaveLength(1), settle);
    await insert(outbox, ['later']);
    await vi.waitFor(() => expect(batches.at(-1)?.map(idOf)).toEqual(['later']), settle);
    expect(ids(batches)).toEqual([['p0', 'p1', 'p2'], ['p0', 'p1', 'p2'], ['later']]);
    const [record] = await onFailureRecords(outbox);
    const failedBatch = batches[0] ?? [];
    expect(record).toEqual({
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: `${functionArn}:$LATEST`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: seqOf(failedBatch[0]),
        endSequenceNumber: seqOf(failedBatch[2]),
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        batchSize: 3,
        streamArn: outbox.streamArn,
      },
    });
    expect(counts).toEqual({ received: 7, succeeded: 1, failed: 6, sentToOnFailure: 3, inFlight: 0 });
  });

  it("retries up to maximumRetryAttempts with MaximumRecordAgeInSeconds -1 (Lambda's infinite)", async () => {
    const outbox = await newOutbox();
    await insert(outbox, ['forever']);
    const { batches } = startPoller(outbox, () => failed(), {
      maximumRetryAttempts: 2,
      maximumRecordAgeInSeconds: -1,
    });
    await vi.waitFor(async () => expect(await onFailureRecords(outbox)).toHaveLength(1), settle);
    expect(batches).toHaveLength(3);
    const [record] = await onFailureRecords(outbox);
    expect(record?.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    });
  });

  it('bisects a batch on a function error until the failing record is alone', async () => {
    const outbox = await newOutbox();
    await insert(outbox, ['b0', 'b1', 'poison', 'b3']);
    const { batches, counts } = startPoller(
      outbox,
      (records) => (records.some((r) => idOf(r) === 'poison') ? failed() : ok()),
      { bisectBatchOnFunctionError: true, reportBatchItemFailures: false, maximumRetryAttempts: 0 },
    );
    await vi.waitFor(() => expect(batches.flat().filter((r) => idOf(r) === 'b3').length).toBe(3), settle);
    await sleep(600);
    expect(batches.map((b) => b.length)).toEqual([4, 2, 2, 1, 1]);
    expect(ids(batches)).toEqual([
      ['b0', 'b1', 'poison', 'b3'],
      ['b0', 'b1'],
      ['poison', 'b3'],
      ['poison'],
      ['b3'],
    ]);
    const [record] = await onFailureRecords(outbox);
    expect(record?.DDBStreamBatchInfo).toMatchObject({
      batchSize: 1,
      startSequenceNumber: seqOf(batches[3]?.[0]),
      endSequenceNumber: seqOf(batches[3]?.[0]),
    });
    expect(counts).toMatchObject({ succeeded: 3, sentToOnFailure: 1, inFlight: 0 });
  });

  it('skips no record when the invoke itself throws: the batch is delivered again', async () => {
    const outbox = await newOutbox();
    await insert(outbox, ['t0', 't1']);
    const { batches, errors } = startPoller(outbox, (_records, call) => {
      if (call === 1) throw new Error('outboxRelay: the function is gone');
      return ok();
    });
    await vi.waitFor(() => expect(batches).toHaveLength(2), settle);
    expect(ids(batches)).toEqual([
      ['t0', 't1'],
      ['t0', 't1'],
    ]);
    expect(errors).toEqual([new Error('outboxRelay: the function is gone')]);
  });
});
