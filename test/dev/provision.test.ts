/**
 * Provisioning the example's plan into a real moto server, then proving it with the SDK: an
 * OrderPlaced event put on the bus reaches the fulfilment queue and the audit function's invoke
 * queue (rules with the template's patterns), the outbox table streams, every function's
 * environment resolves. A small hand-written stack shows redrive to the DLQ and what a reload does
 * (a second run updates; changed keys replace a table; a removed rule is deleted).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../generator/dev/intrinsics.js';
import { type MotoServer, motoInstallHint, startMotoServer } from '../../generator/dev/moto-server.js';
import type { DevPlan, ProvisionedResources } from '../../generator/dev/plan.js';
import { type ProvisionEvent, provision, removeStaleRules } from '../../generator/dev/provision.js';
import { synthesizeForDev } from '../../generator/dev/synth.js';
import type { CfnResource, CfnTemplate } from '../../generator/dev/template.js';
import { planFromTemplate } from '../../generator/dev/template-plan.js';
import { exampleAppCopy } from '../helpers/example-app.js';
import { type Clients, clients, receiveAll, region } from '../helpers/flow.js';
import { motoAvailable } from '../helpers/moto.js';

const available = motoAvailable;
if (!available)
  console.warn(`Skipping the provisioning tests: moto_server is not installed. ${motoInstallHint}`);

let moto: MotoServer;
let aws: Clients;
let appDir: string;
let outDir: string;
let plan: DevPlan;
let resources: ProvisionedResources;
const events: ProvisionEvent[] = [];

const provisionInto = (p: DevPlan, onEvent?: (event: ProvisionEvent) => void) =>
  provision(p, { endpoint: moto.endpoint, region, ...(onEvent ? { onEvent } : {}) });
const fnId = (name: string) => plan.functions.find((f) => f.name === name)?.logicalId ?? '';
const queueUrl = (name: string) =>
  resources.refs[plan.queues.find((q) => q.queueName === name)?.logicalId ?? ''] ?? '';

describe.skipIf(!available)('provisioning into moto', () => {
  beforeAll(async () => {
    [appDir, outDir] = await Promise.all([
      exampleAppCopy('dev-provision-'),
      mkdtemp(join(tmpdir(), 'evtgen-dev-provision-')),
    ]);
    const [synthesized, server] = await Promise.all([synthesizeForDev(appDir, outDir), startMotoServer()]);
    moto = server;
    aws = clients(moto.endpoint);
    plan = planFromTemplate(synthesized.template, synthesized.stackName);
    resources = await provisionInto(plan, (e) => events.push(e));
  }, 120_000);

  afterAll(async () => {
    await moto?.stop();
    for (const dir of [appDir, outDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records the physical values of every planned resource', () => {
    expect(resources.account).toBe('123456789012');
    const fulfilment = plan.queues.find((q) => q.queueName === 'orders-fulfilment')?.logicalId ?? '';
    expect(resources.refs[fulfilment]).toBe(`${moto.endpoint}/123456789012/orders-fulfilment`);
    expect(resources.attributes[fulfilment]).toEqual({
      Arn: 'arn:aws:sqs:us-east-1:123456789012:orders-fulfilment',
      QueueName: 'orders-fulfilment',
      QueueUrl: resources.refs[fulfilment],
    });
    const createOrder = plan.functions.find((f) => f.name === 'createOrder');
    expect(resources.refs[fnId('createOrder')]).toBe(createOrder?.functionName);
    expect(resources.attributes[fnId('createOrder')]?.Arn).toBe(
      `arn:aws:lambda:us-east-1:123456789012:function:${createOrder?.functionName}`,
    );
    const bus = plan.buses[0]?.logicalId ?? '';
    expect(resources.refs[bus]).toBe('orders-bus');
    expect(resources.attributes[bus]).toEqual({
      Arn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders-bus',
      Name: 'orders-bus',
    });
    expect(Object.keys(resources.invokeQueues)).toEqual([fnId('audit')]);
    expect(events.filter((e) => e.action === 'create').map((e) => e.kind)).toEqual(
      expect.arrayContaining(['table', 'queue', 'invoke-queue', 'bus', 'rule']),
    );
  });

  it("resolves every function's environment", () => {
    const context = { stackName: plan.stackName, parameters: plan.parameters };
    for (const fn of plan.functions)
      expect(() => resolveEnvironment(fn, resources, context), fn.name).not.toThrow();
    const createOrder = plan.functions.find((f) => f.name === 'createOrder');
    const environment = createOrder ? resolveEnvironment(createOrder, resources, context) : {};
    expect(environment).toMatchObject({
      EVENT_BUS_NAME: 'orders-bus',
      ORDERS_TABLE_NAME: plan.tables.find((t) => t.logicalId.startsWith('OrdersTable'))?.tableName,
      OUTBOX_TABLE_NAME: plan.tables.find((t) => t.streamViewType)?.tableName,
    });
    const fulfilment = plan.functions.find((f) => f.name === 'fulfilment');
    expect(fulfilment && resolveEnvironment(fulfilment, resources, context).DEAD_LETTER_QUEUE_URL).toBe(
      queueUrl('orders-fulfilment-dlq'),
    );
  });

  it('routes an OrderPlaced event to the fulfilment queue and the audit invoke queue', async () => {
    const { FailedEntryCount } = await aws.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'orders-bus',
            Source: 'com.example.orders',
            DetailType: 'OrderPlaced',
            Detail: JSON.stringify({ data: { orderId: 'o-1' } }),
          },
        ],
      }),
    );
    expect(FailedEntryCount).toBe(0);
    const auditQueue = resources.invokeQueues[fnId('audit')] ?? '';
    const [fulfilment, audit, notifications] = await Promise.all([
      receiveAll(aws.sqs, queueUrl('orders-fulfilment'), 2),
      receiveAll(aws.sqs, auditQueue, 2),
      receiveAll(aws.sqs, queueUrl('orders-notifications'), 0),
    ]);
    for (const messages of [fulfilment, audit]) {
      expect(messages).toHaveLength(1);
      expect(JSON.parse(messages[0]?.Body ?? '{}')).toMatchObject({
        'detail-type': 'OrderPlaced',
        detail: { data: { orderId: 'o-1' } },
      });
    }
    expect(notifications).toEqual([]);
    // The audit target keeps its retry policy and dead-letter queue, pointed at the invoke queue.
    const auditRule = plan.rules.find((r) => r.targets[0]?.kind === 'function');
    const { Targets } = await aws.events.send(
      new ListTargetsByRuleCommand({ Rule: auditRule?.ruleName, EventBusName: 'orders-bus' }),
    );
    expect(Targets).toEqual([
      {
        Id: 'Target0',
        Arn: `arn:aws:sqs:us-east-1:123456789012:${auditQueue.split('/').pop()}`,
        DeadLetterConfig: { Arn: resources.attributes[auditRule?.targets[0]?.deadLetterQueue ?? '']?.Arn },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
      },
    ]);
  });

  it('gives the outbox table a stream and the idempotency table its time to live', async () => {
    const outbox = plan.tables.find((t) => t.streamViewType)?.logicalId ?? '';
    const { Table } = await aws.dynamo.send(new DescribeTableCommand({ TableName: resources.refs[outbox] }));
    expect(resources.attributes[outbox]?.StreamArn).toBe(Table?.LatestStreamArn);
    expect(resources.attributes[outbox]?.StreamArn).toMatch(
      /^arn:aws:dynamodb:us-east-1:123456789012:table\/.+\/stream\//,
    );
    const idempotency = plan.tables.find((t) => t.timeToLiveAttribute && !t.streamViewType);
    const ttl = await aws.dynamo.send(new DescribeTimeToLiveCommand({ TableName: idempotency?.tableName }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiration' });
  });

  it('provisions again into the same emulator, updating what exists', async () => {
    const again: ProvisionEvent[] = [];
    const second = await provisionInto(plan, (e) => again.push(e));
    expect(second).toEqual(resources);
    expect(again.filter((e) => e.action !== 'update')).toEqual([]);
    expect(again.map((e) => e.kind).sort()).toEqual(
      [...plan.queues.map(() => 'queue'), ...plan.rules.map(() => 'rule')].sort(),
    );
  });
});

const queue = (name: string, props: Record<string, unknown> = {}): CfnResource => ({
  Type: 'AWS::SQS::Queue',
  Properties: { QueueName: name, ...props } as CfnResource['Properties'],
});
const table = (key: string): CfnResource => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: 'small-items',
    KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
  },
});
const small: CfnTemplate = {
  Resources: {
    Dlq: queue('small-dlq'),
    Work: queue('small-work', {
      VisibilityTimeout: 1,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 2 },
    }),
    Items: table('id'),
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'small-rule',
        EventPattern: { source: ['small'] },
        Targets: [{ Id: 'Work', Arn: { 'Fn::GetAtt': ['Work', 'Arn'] } }],
      },
    },
  },
};

describe.skipIf(!available)('a small stack in moto', () => {
  beforeAll(async () => {
    moto = await startMotoServer();
    aws = clients(moto.endpoint);
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it('moves a message received more than maxReceiveCount times to the dead-letter queue', async () => {
    const provisioned = await provisionInto(planFromTemplate(small, 'Small'));
    const work = provisioned.refs.Work ?? '';
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'poison' }));
    for (let receive = 1; receive <= 2; receive++) {
      expect(await receiveAll(aws.sqs, work, 1), `receive ${receive}`).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 1200)); // past the 1 s visibility timeout
    }
    expect(await receiveAll(aws.sqs, work, 1)).toEqual([]);
    const dead = await receiveAll(aws.sqs, provisioned.refs.Dlq ?? '', 1);
    expect(dead.map((m) => m.Body)).toEqual(['poison']);
  });

  it('keeps a table with indexes, TTL and a stream on a second run (the structure moto reports matches)', async () => {
    const indexed = planFromTemplate(
      {
        Resources: {
          Indexed: {
            Type: 'AWS::DynamoDB::Table',
            Properties: {
              TableName: 'small-indexed',
              BillingMode: 'PROVISIONED',
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
              KeySchema: [
                { AttributeName: 'pk', KeyType: 'HASH' },
                { AttributeName: 'sk', KeyType: 'RANGE' },
              ],
              AttributeDefinitions: [
                { AttributeName: 'pk', AttributeType: 'S' },
                { AttributeName: 'sk', AttributeType: 'S' },
                { AttributeName: 'gsi', AttributeType: 'N' },
                { AttributeName: 'lsi', AttributeType: 'S' },
              ],
              GlobalSecondaryIndexes: [
                {
                  IndexName: 'byGsi',
                  KeySchema: [{ AttributeName: 'gsi', KeyType: 'HASH' }],
                  Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['b', 'a'] },
                  ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
                  ContributorInsightsSpecification: { Enabled: true },
                },
              ],
              LocalSecondaryIndexes: [
                {
                  IndexName: 'byLsi',
                  KeySchema: [
                    { AttributeName: 'pk', KeyType: 'HASH' },
                    { AttributeName: 'lsi', KeyType: 'RANGE' },
                  ],
                  Projection: { ProjectionType: 'KEYS_ONLY' },
                },
              ],
              StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
              TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
            },
          },
        },
      },
      'Small',
    );
    const first: ProvisionEvent[] = [];
    const second: ProvisionEvent[] = [];
    const provisioned = await provisionInto(indexed, (e) => first.push(e));
    expect(await provisionInto(indexed, (e) => second.push(e))).toEqual(provisioned);
    expect(first.map((e) => e.action)).toEqual(['create']);
    expect(second).toEqual([]);
    const { Table } = await aws.dynamo.send(new DescribeTableCommand({ TableName: 'small-indexed' }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byGsi']);
    expect(Table?.LocalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byLsi']);
    expect(provisioned.attributes.Indexed?.StreamArn).toBe(Table?.LatestStreamArn);
  });

  it('applies a reload: queue settings updated, a table with new keys replaced, a removed rule deleted', async () => {
    const before = planFromTemplate(small, 'Small');
    await provisionInto(before);
    const { Rule: _rule, ...rest } = small.Resources;
    const after = planFromTemplate(
      { Resources: { ...rest, Work: queue('small-work', { VisibilityTimeout: 7 }), Items: table('pk') } },
      'Small',
    );
    const changes: ProvisionEvent[] = [];
    const provisioned = await provisionInto(after, (e) => changes.push(e));
    await removeStaleRules(before, after, {
      endpoint: moto.endpoint,
      region,
      onEvent: (e) => changes.push(e),
    });
    expect(changes.filter((e) => e.action === 'replace' || e.action === 'delete')).toEqual([
      expect.objectContaining({
        action: 'replace',
        kind: 'table',
        name: 'small-items',
        message: expect.stringMatching(/key schema/),
      }),
      expect.objectContaining({ action: 'delete', kind: 'rule', name: 'small-rule' }),
    ]);
    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: provisioned.refs.Work, AttributeNames: ['All'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('7');
    expect(Attributes?.RedrivePolicy).toBeUndefined();
    const { Table } = await aws.dynamo.send(new DescribeTableCommand({ TableName: 'small-items' }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    const { Rules } = await aws.events.send(new ListRulesCommand({ EventBusName: 'default' }));
    expect(Rules?.map((r) => r.Name)).not.toContain('small-rule');
  });
});
