/**
 * The AWS proxy of `evtgen dev` (aws-proxy.ts) in front of a real moto server, driven by the real AWS
 * SDK over loopback: the entries a PutEvents call had accepted — and only those — are reported with
 * the ids the bus gave them; every other call (SQS, DynamoDB) passes through unchanged; injected
 * faults are answered as AWS answers them (DynamoDB ThrottlingException, EventBridge 500), so the
 * SDK classifies and retries them as it would against AWS; they never reach the emulator, add the
 * latency asked for, are counted, and stop when cleared. `serviceOf` and `acceptedEntries` are also
 * tested on their own.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsProxy,
  acceptedEntries,
  type FaultableService,
  type PublishedEntry,
  serviceOf,
  startAwsProxy,
} from '../../generator/dev/aws-proxy.js';
import { type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import { credentials } from '../helpers/aws.js';
import {
  account,
  type Clients,
  clients,
  createTable,
  queueArn,
  receiveAll,
  region,
  routeToQueue,
} from '../helpers/flow.js';
import { motoAvailable } from '../helpers/moto.js';

const available = motoAvailable;

const bus = 'proxy-bus';
const busArn = `arn:aws:events:${region}:${account}:event-bus/${bus}`;
const source = 'proxy-test';
const table = 'proxy-table';

let moto: MotoServer;
/** Straight to moto, around the proxy. */
let direct: Clients;
/** A rule on the bus delivers every event of `source` here: what reached moto's bus. */
let deliveredUrl: string;

interface Running {
  readonly proxy: AwsProxy;
  /** Through the proxy, one attempt per call. */
  readonly aws: Clients;
  /** Each onPublished call's entries. */
  readonly published: PublishedEntry[][];
  readonly faults: [FaultableService, string][];
}
const running: Running[] = [];
const extraClients: { destroy(): void }[] = [];

async function start(): Promise<Running> {
  const published: PublishedEntry[][] = [];
  const faults: [FaultableService, string][] = [];
  const proxy = await startAwsProxy({
    target: moto.endpoint,
    onPublished: (entries) => published.push([...entries]),
    onFault: (service, kind) => faults.push([service, kind]),
  });
  const started = { proxy, aws: clients(proxy.url), published, faults };
  running.push(started);
  return started;
}

/** SDK clients through the proxy with the standard retry strategy's 2 attempts per call. */
function retrying(proxy: AwsProxy): { events: EventBridgeClient; dynamo: DynamoDBClient } {
  const config = { endpoint: proxy.url, region, credentials, maxAttempts: 2 };
  const c = { events: new EventBridgeClient(config), dynamo: new DynamoDBClient(config) };
  extraClients.push(c.events, c.dynamo);
  return c;
}

const destroy = (c: Clients): void => {
  for (const client of [c.sqs, c.events, c.dynamo, c.streams]) client.destroy();
};

/** The events moto's bus delivered (to the rule's queue) since the last call. */
async function delivered(): Promise<{ id: string; detail: unknown }[]> {
  const events: { id: string; detail: unknown }[] = [];
  for (;;) {
    const messages = await receiveAll(direct.sqs, deliveredUrl);
    if (messages.length === 0) return events;
    for (const m of messages) {
      const event = JSON.parse(m.Body ?? '{}') as { id: string; detail: unknown };
      events.push({ id: event.id, detail: event.detail });
      await direct.sqs.send(
        new DeleteMessageCommand({ QueueUrl: deliveredUrl, ReceiptHandle: m.ReceiptHandle }),
      );
    }
  }
}

const entry = (n: number, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: source,
  DetailType: 'ProxyTested',
  Detail: JSON.stringify({ n }),
  EventBusName: bus,
  ...extra,
});

const elapsed = async (call: () => Promise<unknown>): Promise<number> => {
  const begun = performance.now();
  await call();
  return performance.now() - begun;
};

beforeAll(async () => {
  if (!available) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  moto = await startMotoServer();
  direct = clients(moto.endpoint);
  const { QueueUrl } = await direct.sqs.send(new CreateQueueCommand({ QueueName: 'proxy-delivered' }));
  deliveredUrl = QueueUrl ?? '';
  await routeToQueue(
    direct.events,
    bus,
    'proxy-all',
    { source: [source] },
    {
      arn: await queueArn(direct.sqs, deliveredUrl),
    },
  );
  await createTable(direct.dynamo, table, 'pk');
}, 120_000);

afterEach(async () => {
  for (const c of extraClients.splice(0)) c.destroy();
  for (const r of running.splice(0)) {
    destroy(r.aws);
    await r.proxy.close();
  }
  if (available) await delivered();
});

afterAll(async () => {
  if (direct) destroy(direct);
  await moto?.stop();
});

describe.skipIf(!available)('the AWS proxy in front of moto', () => {
  it('reports exactly the entries a PutEvents call had accepted, with the ids the bus gave them', async () => {
    const { aws, published } = await start();
    const answer = await aws.events.send(
      new PutEventsCommand({
        Entries: [
          entry(1, { Detail: JSON.stringify({ data: { customer: { email: 'a@example.org' } } }) }),
          entry(2, { EventBusName: busArn }),
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(0);
    const ids = (answer.Entries ?? []).map((e) => e.EventId);
    expect(ids).toEqual([expect.any(String), expect.any(String)]);
    expect(published).toEqual([
      [
        {
          source,
          detailType: 'ProxyTested',
          detail: { data: { customer: { email: 'a@example.org' } } },
          eventBusName: bus,
          awsEventId: ids[0],
          at: expect.any(Number),
        },
        {
          source,
          detailType: 'ProxyTested',
          detail: { n: 2 },
          eventBusName: busArn,
          awsEventId: ids[1],
          at: expect.any(Number),
        },
      ],
    ]);
    // And the bus really got them, under the same ids.
    expect((await delivered()).map((e) => e.id).sort()).toEqual([...ids].sort());
  });

  it('reports only the accepted entries of a partly failing PutEvents', async () => {
    const { aws, published } = await start();
    const { DetailType: _, ...withoutDetailType } = entry(2);
    const answer = await aws.events.send(
      new PutEventsCommand({
        Entries: [entry(1), withoutDetailType, entry(3, { Detail: 'not json' }), entry(4)],
      }),
    );
    // moto answers both bad entries with a per-entry error, the call itself succeeds.
    expect(answer.FailedEntryCount).toBe(2);
    expect(answer.Entries?.map((e) => e.ErrorCode)).toEqual([
      undefined,
      expect.any(String),
      expect.any(String),
      undefined,
    ]);
    const reported = published.flat();
    expect(reported.map((e) => e.detail)).toEqual([{ n: 1 }, { n: 4 }]);
    expect(reported.map((e) => e.awsEventId)).toEqual([
      answer.Entries?.[0]?.EventId,
      answer.Entries?.[3]?.EventId,
    ]);
  });

  it('passes SQS and DynamoDB calls through unchanged and reports no events for them', async () => {
    const { aws, published } = await start();
    const { QueueUrl } = await aws.sqs.send(
      new CreateQueueCommand({ QueueName: `through-${randomUUID().slice(0, 8)}` }),
    );
    const sent = await aws.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'hello through the proxy' }),
    );
    const [message] = await receiveAll(direct.sqs, QueueUrl ?? '');
    expect(message?.MessageId).toBe(sent.MessageId);
    expect(message?.Body).toBe('hello through the proxy');

    const pk = randomUUID();
    await aws.dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, n: { N: '7' } } }));
    const got = await direct.dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }));
    expect(got.Item).toEqual({ pk: { S: pk }, n: { N: '7' } });
    expect(published).toEqual([]);
  });

  it('forwards bodies and headers byte for byte (a raw call answers as the emulator does)', async () => {
    const { proxy } = await start();
    const pk = randomUUID();
    await direct.dynamo.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: 'é ✓' } } }),
    );
    const raw = (endpoint: string) =>
      fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.GetItem',
          authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: JSON.stringify({ TableName: table, Key: { pk: { S: pk } } }),
      });
    const [around, through] = await Promise.all([raw(moto.endpoint), raw(proxy.url)]);
    expect(through.status).toBe(around.status);
    expect(through.headers.get('x-amz-crc32')).toBe(around.headers.get('x-amz-crc32'));
    expect(Buffer.from(await through.arrayBuffer())).toEqual(Buffer.from(await around.arrayBuffer()));
  });

  it('answers DynamoDB calls with ThrottlingException at throttleRate 1, which the SDK retries as throttling', async () => {
    const { proxy, aws, faults } = await start();
    proxy.faults = { dynamodb: { throttleRate: 1 } };
    const pk = randomUUID();
    const failure = await aws.dynamo
      .send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(ThrottlingException);
    expect(failure).toMatchObject({
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    // The SDK's standard retry strategy retries it (a second attempt, throttled again).
    const retried = await retrying(proxy)
      .dynamo.send(new DescribeTableCommand({ TableName: table }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(retried).toMatchObject({ name: 'ThrottlingException', $metadata: { attempts: 2 } });
    expect(faults).toEqual([
      ['dynamodb', 'throttle'],
      ['dynamodb', 'throttle'],
      ['dynamodb', 'throttle'],
    ]);
    // The throttled write never reached the emulator.
    const got = await direct.dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }));
    expect(got.Item).toBeUndefined();
  });

  it('answers PutEvents with a 500 InternalServerError at errorRate 1, reports nothing and publishes nothing', async () => {
    const { proxy, aws, published, faults } = await start();
    proxy.faults = { events: { errorRate: 1 } };
    const failure = await aws.events.send(new PutEventsCommand({ Entries: [entry(1)] })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500, attempts: 1 },
    });
    const retried = await retrying(proxy)
      .events.send(new PutEventsCommand({ Entries: [entry(2)] }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(retried).toMatchObject({ name: 'InternalServerError', $metadata: { attempts: 2 } });
    expect(faults).toEqual([
      ['events', 'error'],
      ['events', 'error'],
      ['events', 'error'],
    ]);
    expect(published).toEqual([]);
    expect(await delivered()).toEqual([]);
  });

  it('faults only the service they are set for', async () => {
    const { proxy, aws, published, faults } = await start();
    proxy.faults = { dynamodb: { throttleRate: 1, errorRate: 1 } };
    await aws.events.send(new PutEventsCommand({ Entries: [entry(1)] }));
    await aws.sqs.send(new CreateQueueCommand({ QueueName: `unfaulted-${randomUUID().slice(0, 8)}` }));
    expect(published.flat()).toHaveLength(1);
    expect(faults).toEqual([]);
  });

  it('adds at least latencyMs before forwarding, then the call succeeds', async () => {
    const { proxy, aws, published, faults } = await start();
    proxy.faults = { dynamodb: { latencyMs: 300 }, events: { latencyMs: 300 } };
    const pk = randomUUID();
    expect(
      await elapsed(() => aws.dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }))),
    ).toBeGreaterThanOrEqual(295);
    expect(
      await elapsed(() => aws.events.send(new PutEventsCommand({ Entries: [entry(1)] }))),
    ).toBeGreaterThanOrEqual(295);
    const got = await direct.dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }));
    expect(got.Item).toEqual({ pk: { S: pk } });
    expect(published.flat()).toHaveLength(1);
    expect(faults).toEqual([
      ['dynamodb', 'latency'],
      ['events', 'latency'],
    ]);
  });

  it('passes everything through again once the faults are cleared', async () => {
    const { proxy, aws, published, faults } = await start();
    proxy.faults = { dynamodb: { throttleRate: 1 }, events: { errorRate: 1 } };
    await expect(aws.events.send(new PutEventsCommand({ Entries: [entry(1)] }))).rejects.toThrow();
    await expect(aws.dynamo.send(new DescribeTableCommand({ TableName: table }))).rejects.toThrow();
    proxy.faults = {};
    expect(proxy.faults).toEqual({});
    const answer = await aws.events.send(new PutEventsCommand({ Entries: [entry(2)] }));
    await aws.dynamo.send(new DescribeTableCommand({ TableName: table }));
    expect(faults).toHaveLength(2);
    expect(published.flat().map((e) => e.awsEventId)).toEqual([answer.Entries?.[0]?.EventId]);
    expect((await delivered()).map((e) => e.detail)).toEqual([{ n: 2 }]);
  });
});

describe('serviceOf', () => {
  it("reads the JSON protocols' X-Amz-Target", () => {
    expect(serviceOf({ 'x-amz-target': 'DynamoDB_20120810.PutItem' })).toBe('dynamodb');
    expect(serviceOf({ 'x-amz-target': 'AWSEvents.PutEvents' })).toBe('events');
    expect(serviceOf({ 'x-amz-target': 'AmazonSQS.SendMessage' })).toBeUndefined();
    // DynamoDB Streams is another service: the stream readers are not faulted.
    expect(serviceOf({ 'x-amz-target': 'DynamoDBStreams_20120810.GetRecords' })).toBeUndefined();
  });

  it('reads the credential scope of a SigV4 Authorization header when there is no target', () => {
    const scoped = (service: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`,
    });
    expect(serviceOf(scoped('dynamodb'))).toBe('dynamodb');
    expect(serviceOf(scoped('events'))).toBe('events');
    expect(serviceOf(scoped('sqs'))).toBeUndefined();
    expect(serviceOf({})).toBeUndefined();
    expect(serviceOf({ authorization: 'Bearer token' })).toBeUndefined();
  });

  it('believes the target over the credential scope', () => {
    expect(
      serviceOf({
        'x-amz-target': 'AmazonSQS.SendMessage',
        authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/${region}/dynamodb/aws4_request, Signature=abc`,
      }),
    ).toBeUndefined();
  });
});

describe('acceptedEntries', () => {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('pairs request entries with answer entries by position and keeps those with an EventId', () => {
    const accepted = acceptedEntries(
      json({
        Entries: [
          { Source: 's', DetailType: 'A', Detail: '{"k":1}', EventBusName: 'b' },
          { Source: 's', DetailType: 'B', Detail: '{"k":2}', EventBusName: 'b' },
          { Source: 's', DetailType: 'C', Detail: 'plain text' },
        ],
      }),
      json({
        FailedEntryCount: 1,
        Entries: [
          { EventId: 'id-1' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'x' },
          { EventId: 'id-3' },
        ],
      }),
    );
    expect(accepted).toEqual([
      {
        source: 's',
        detailType: 'A',
        detail: { k: 1 },
        eventBusName: 'b',
        awsEventId: 'id-1',
        at: expect.any(Number),
      },
      // Not JSON: no detail. No bus named: the default bus.
      {
        source: 's',
        detailType: 'C',
        detail: undefined,
        eventBusName: 'default',
        awsEventId: 'id-3',
        at: expect.any(Number),
      },
    ]);
  });

  it('reports nothing for answers it cannot read', () => {
    const request = json({ Entries: [{ Source: 's', DetailType: 'A', Detail: '{}' }] });
    expect(acceptedEntries(request, Buffer.from('<html>'))).toEqual([]);
    expect(acceptedEntries(request, json({}))).toEqual([]);
    expect(acceptedEntries(Buffer.from(''), json({ Entries: [{ EventId: 'x' }] }))).toEqual([]);
  });
});
