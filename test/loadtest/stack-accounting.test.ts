/**
 * Counting the events of a load against a deployed stack (`evtgen load --target URL --stack NAME`),
 * through the AWS APIs over real HTTP on loopback, against moto's server:
 * - the stack read back through CloudFormation: its template and the physical id of every resource,
 *   nested stacks included (a small stack moto can create: moto's CloudFormation cannot create the
 *   example's whole template — its rules on a custom bus and its Lambda assets stop it);
 * - the example's own plan (its real synthesized template) mapped to physical names, and its
 *   queues created in moto's SQS, where the dead-letter growth and the backlog are read;
 * - CloudWatch counts the test puts into moto's CloudWatch, standing in for the metrics AWS's
 *   services publish themselves (moto publishes none) and the functions' `EventsPublished`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorCredentials } from '../../generator/dev/lambda-env.js';
import { type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import type { DevPlan } from '../../generator/dev/plan.js';
import { synthesizeForDev } from '../../generator/dev/synth.js';
import { planFromTemplate } from '../../generator/dev/template-plan.js';
import type { AcceptedRequest } from '../../generator/loadtest/accounting.js';
import { readDeployedStack } from '../../generator/loadtest/stack/deployed-stack.js';
import { readDepths } from '../../generator/loadtest/stack/stack-counts.js';
import { drainStack } from '../../generator/loadtest/stack/stack-drain.js';
import { type StackTopology, stackTopology } from '../../generator/loadtest/stack/stack-topology.js';
import { exampleAppCopy } from '../helpers/example-app.js';
import { motoAvailable } from '../helpers/moto.js';

const region = 'us-east-1';
let moto: MotoServer;
let clients: {
  sqs: SQSClient;
  cloudWatch: CloudWatchClient;
  cloudFormation: CloudFormationClient;
  s3: S3Client;
};

beforeEach(async () => {
  if (!motoAvailable) return;
  moto = await startMotoServer();
  const config = { endpoint: moto.endpoint, region, credentials: emulatorCredentials };
  clients = {
    sqs: new SQSClient(config),
    cloudWatch: new CloudWatchClient(config),
    cloudFormation: new CloudFormationClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
}, 60_000);

afterEach(async () => {
  if (!motoAvailable) return;
  for (const client of Object.values(clients)) client.destroy();
  await moto.stop();
});

describe.skipIf(!motoAvailable)('a deployed stack read back through CloudFormation', () => {
  it('names every resource by its flattened logical id, nested stacks included, with its physical id', async () => {
    const child = {
      Resources: { InnerQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'inner-queue' } } },
      Outputs: { InnerUrl: { Value: { Ref: 'InnerQueue' } } },
    };
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    await clients.s3.send(
      new PutObjectCommand({ Bucket: 'templates', Key: 'child.json', Body: JSON.stringify(child) }),
    );
    const root = {
      Resources: {
        OuterQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'outer-queue' } },
        Events: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { TemplateURL: 'https://s3.amazonaws.com/templates/child.json' },
        },
      },
    };
    await clients.cloudFormation.send(
      new CreateStackCommand({ StackName: 'Orders', TemplateBody: JSON.stringify(root) }),
    );

    const stack = await readDeployedStack(clients.cloudFormation, 'Orders');

    expect(stack.physicalIds.OuterQueue).toMatch(/\/outer-queue$/);
    expect(stack.physicalIds['Events/InnerQueue']).toMatch(/\/inner-queue$/);
    expect(Object.keys(stack.template.Resources).sort()).toEqual(['Events/InnerQueue', 'OuterQueue']);
  });

  it('says which stack CloudFormation does not have', async () => {
    await expect(readDeployedStack(clients.cloudFormation, 'NoSuchStack')).rejects.toThrow(/NoSuchStack/);
  });
});

describe.skipIf(!motoAvailable)("counting the example's events in its deployed stack", () => {
  let appDir: string;
  let outDir: string;
  let plan: DevPlan;
  let topology: StackTopology;

  beforeAll(async () => {
    [appDir, outDir] = await Promise.all([
      exampleAppCopy('stack-accounting-'),
      mkdtemp(join(tmpdir(), 'evtgen-stack-accounting-')),
    ]);
    const synthesized = await synthesizeForDev(appDir, outDir);
    plan = planFromTemplate(synthesized.template, synthesized.stackName);
  }, 180_000);

  afterAll(async () => {
    for (const dir of [appDir, outDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The example's queues created in moto, and every other resource given a CloudFormation-like name. */
  beforeEach(async () => {
    const physicalIds: Record<string, string> = {};
    for (const queue of plan.queues) {
      const { QueueUrl } = await clients.sqs.send(
        new CreateQueueCommand({
          QueueName: queue.queueName,
          ...(queue.fifo ? { Attributes: { FifoQueue: 'true' } } : {}),
        }),
      );
      physicalIds[queue.logicalId] = QueueUrl ?? '';
    }
    for (const bus of plan.buses) physicalIds[bus.logicalId] = bus.busName;
    for (const fn of plan.functions)
      physicalIds[fn.logicalId] = `OrdersService-${fn.logicalId.slice(0, 20)}-X1Y2`;
    for (const rule of plan.rules) {
      const bus = plan.buses.find((b) => b.logicalId === rule.bus)?.busName;
      physicalIds[rule.logicalId] = bus
        ? `${bus}|OrdersService-${rule.logicalId.slice(0, 20)}`
        : rule.ruleName;
    }
    topology = stackTopology(plan, physicalIds);
  });

  const consumer = (name: string) => {
    const found = topology.consumers.find((c) => c.name === name);
    if (!found) throw new Error(`no consumer ${name} in ${topology.consumers.map((c) => c.name).join(', ')}`);
    return found;
  };
  const dlqOf = (name: string, hop: string) => {
    const found = topology.deadLetterQueues.find(
      (q) => q.consumers.includes(name) && q.hops.includes(hop as never),
    );
    if (!found) throw new Error(`no ${hop} DLQ for ${name}`);
    return found;
  };

  /** Counts as AWS's services and the generated functions would publish them. */
  async function putCounts(counts: {
    readonly matched: Readonly<Record<string, number>>;
    readonly deleted?: Readonly<Record<string, number>>;
    readonly lambda?: Readonly<Record<string, { invocations: number; errors: number }>>;
    readonly handlerSent?: Readonly<Record<string, number>>;
    readonly published: Readonly<Record<string, number>>;
  }): Promise<void> {
    const put = async (Namespace: string, MetricName: string, dims: Record<string, string>, Value: number) =>
      clients.cloudWatch.send(
        new PutMetricDataCommand({
          Namespace,
          MetricData: [
            {
              MetricName,
              Value,
              Unit: 'Count',
              Dimensions: Object.entries(dims).map(([Name, V]) => ({ Name, Value: V })),
            },
          ],
        }),
      );
    for (const [name, n] of Object.entries(counts.matched))
      for (const rule of consumer(name).rules)
        await put(
          'AWS/Events',
          'MatchedEvents',
          { EventBusName: rule.eventBusName, RuleName: rule.ruleName },
          n,
        );
    for (const [name, n] of Object.entries(counts.deleted ?? {}))
      await put('AWS/SQS', 'NumberOfMessagesDeleted', { QueueName: consumer(name).queue?.name ?? '' }, n);
    for (const [name, { invocations, errors }] of Object.entries(counts.lambda ?? {})) {
      await put('AWS/Lambda', 'Invocations', { FunctionName: consumer(name).functionName }, invocations);
      await put('AWS/Lambda', 'Errors', { FunctionName: consumer(name).functionName }, errors);
    }
    for (const [name, n] of Object.entries(counts.handlerSent ?? {}))
      await put('AWS/SQS', 'NumberOfMessagesSent', { QueueName: dlqOf(name, 'handler').name }, n);
    const metrics = topology.metrics;
    if (!metrics) throw new Error('the example declares no Powertools metrics namespace');
    for (const [eventType, n] of Object.entries(counts.published))
      await put(metrics.namespace, 'EventsPublished', { service: metrics.service, eventType }, n);
  }

  /** `n` messages into the queue at `url`. */
  async function send(url: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++)
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ i }) }));
  }

  const accepted = (n: number): AcceptedRequest[] =>
    Array.from({ length: n }, (_, i) => ({
      correlationId: `c-${i}`,
      routeKey: 'POST /orders',
      answeredAt: Date.now(),
      emits: ['OrderPlaced'],
    }));

  const drain = async (
    requests: number,
    before: Awaited<ReturnType<typeof readDepths>>,
    timeoutMs = 20_000,
  ) =>
    drainStack({
      sqs: clients.sqs,
      cloudWatch: clients.cloudWatch,
      topology,
      eventTypes: ['OrderPlaced', 'OrderShipped', 'PaymentFailed'],
      before,
      phaseStartedAt: Date.now() - 5_000,
      accepted: accepted(requests),
      timeoutMs,
      pollMs: 200,
      settleMs: 1_000,
    });

  it("finds each consumer's rule, queue, function and dead-letter queues by their physical names", () => {
    expect(topology.consumers.map((c) => [c.name, c.delivery])).toEqual([
      ['audit', 'function'],
      ['fulfilment', 'queue'],
      ['notifications', 'queue'],
      ['shipments', 'queue'],
    ]);
    expect(consumer('fulfilment').queue?.name).toBe('orders-fulfilment');
    expect(consumer('fulfilment').rules[0]?.ruleName).toMatch(/^OrdersService-/);
    expect(consumer('audit').functionName).toMatch(/^OrdersService-/);
    expect(dlqOf('fulfilment', 'queue-redrive').name).toBe('orders-fulfilment-dlq');
    expect(topology.metrics).toEqual({ namespace: 'OrdersService', service: 'orders-service' });
  });

  it('adds up: expected = processed + dead-lettered + in flight, nothing lost, drained once the counts hold', async () => {
    const before = await readDepths(clients.sqs, topology);
    // fulfilment: 10 matched; 9 deleted, of which its handler dead-lettered 1 (poison) itself,
    // and 1 more redriven to the DLQ after its retries: 8 processed + 2 dead-lettered.
    await send(dlqOf('fulfilment', 'queue-redrive').url, 2);
    // audit (async invoke): 4 matched; 6 invocations with 2 errors (retried): 4 done.
    await putCounts({
      matched: { fulfilment: 10, notifications: 10, audit: 4 },
      deleted: { fulfilment: 9, notifications: 10 },
      lambda: { audit: { invocations: 6, errors: 2 }, fulfilment: { invocations: 3, errors: 1 } },
      handlerSent: { fulfilment: 1 },
      published: { OrderPlaced: 10 },
    });

    const events = await drain(10, before);

    expect(events.consumers.fulfilment).toMatchObject({
      expected: 10,
      processed: 8,
      deadLettered: 2,
      inFlight: 0,
      lost: 0,
      failedAttempts: 1,
    });
    expect(events.consumers.notifications).toMatchObject({ expected: 10, processed: 10, lost: 0 });
    // Totals cannot tell a duplicate delivery from a first one: the figure is left out, not 0.
    expect(events.consumers.fulfilment?.duplicates).toBeUndefined();
    expect(events.consumers.audit).toMatchObject({ expected: 4, processed: 4, failedAttempts: 2, lost: 0 });
    expect(events).toMatchObject({
      source: 'cloudwatch',
      published: 10,
      publishedByType: { OrderPlaced: 10, OrderShipped: 0, PaymentFailed: 0 },
      expectedFromRequests: 10,
      unpublished: 0,
      lost: 0,
      drained: true,
    });
    expect(events.note).toMatch(/best-effort/);
  });

  it('counts an event its consumer never finished as lost, and one still queued as in flight', async () => {
    const before = await readDepths(clients.sqs, topology);
    await send(consumer('notifications').queue?.url ?? '', 1);
    await putCounts({
      matched: { fulfilment: 5, notifications: 5, audit: 2 },
      deleted: { fulfilment: 4, notifications: 4 },
      lambda: { audit: { invocations: 2, errors: 0 } },
      published: { OrderPlaced: 5 },
    });

    const events = await drain(5, before, 3_000);

    expect(events.consumers.notifications).toMatchObject({ expected: 5, processed: 4, inFlight: 1, lost: 0 });
    expect(events.consumers.fulfilment).toMatchObject({
      expected: 5,
      processed: 4,
      deadLettered: 0,
      lost: 1,
    });
    expect(events.lost).toBe(1);
    // The notifications queue never emptied: not drained, and the wait stopped at its limit.
    expect(events.drained).toBe(false);
  });

  it('waits for CloudWatch to count every publish, and only then counts the unpublished as lost', async () => {
    const before = await readDepths(clients.sqs, topology);
    await putCounts({
      matched: { fulfilment: 3, notifications: 3, audit: 3 },
      deleted: { fulfilment: 3, notifications: 3 },
      lambda: { audit: { invocations: 3, errors: 0 } },
      published: { OrderPlaced: 3 },
    });

    const events = await drain(4, before, 2_500);

    expect(events).toMatchObject({ published: 3, expectedFromRequests: 4, unpublished: 1, drained: false });
    // Not drained: the missing publish may still be on its way, so it is not called lost yet.
    expect(events.lost).toBe(0);
    expect(events.drainMs).toBeGreaterThanOrEqual(2_500);
  });

  it("does not count the outbox relay's dead-lettered events as lost: they are in its DLQ", async () => {
    const before = await readDepths(clients.sqs, topology);
    await send(dlqOf('outboxRelay', 'on-failure').url, 1);
    await putCounts({
      matched: { fulfilment: 2, notifications: 2, audit: 2 },
      deleted: { fulfilment: 2, notifications: 2 },
      lambda: { audit: { invocations: 2, errors: 0 } },
      published: { OrderPlaced: 2 },
    });

    const events = await drain(3, before);

    // Its publish will never come: the phase drains with the event counted in the relay's DLQ.
    expect(events).toMatchObject({ published: 2, unpublished: 1, drained: true, lost: 0 });
  });
});
