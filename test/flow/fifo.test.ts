/**
 * FIFO delivers: the example's FIFO variant (test/cdk/variant-project.ts) is generated and synthesized, and the
 * queue and rule target are provisioned in moto exactly as the template declares them (FifoQueue,
 * ContentBasedDeduplication, the target's MessageGroupId and the rule's pattern). Events put on the
 * bus then reach the FIFO queue through moto's real EventBridge → SQS delivery, the bundled FIFO
 * consumer processes them, and a poison event goes to the FIFO dead-letter queue on its first
 * receive without holding up the healthy events behind it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import { cdkJsonContext, newApp, ofType, synthesized } from '../cdk/synth.js';
import { variantProject } from '../cdk/variant-project.js';
import { orderPlacedDetail } from '../handlers/events.js';
import {
  type Clients,
  clients,
  createQueuePair,
  createTable,
  pumpQueue,
  type QueuePair,
  receiveAll,
  routeToQueue,
  type SqsHandler,
  useEndpoint,
} from '../helpers/flow.js';
import { bundleHandlers, captureLogs, loadHandler } from '../helpers/lambda.js';

interface FifoDeclaration {
  readonly queue: Record<string, unknown>;
  readonly pattern: unknown;
  readonly messageGroupId: string;
}

let dir: string;
let moto: MotoServer;
let aws: Clients;
let restoreEnv: () => void;
let declared: FifoDeclaration;
let handler: SqsHandler;

beforeAll(async () => {
  // The FIFO (+ IAM) variant of the example, with the example's implemented handlers.
  const variant = await variantProject('flow-fifo-', true);
  dir = variant.dir;
  const { result } = variant;
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

  // What the deployment would create, read from the synthesized template.
  const { ServiceStack } = (await import(
    join(dir, 'app', 'cdk', 'stack.ts')
  )) as typeof import('../../app/cdk/stack.js');
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const app = newApp(await cdkJsonContext(dir));
    const { resources } = synthesized(app, new ServiceStack(app, 'OrdersService'));
    const queues = ofType(resources, 'AWS::SQS::Queue').map(([, r]) => r.Properties ?? {});
    const queue = queues.find((q) => q.QueueName === 'orders-fulfilment.fifo');
    const rule = ofType(resources, 'AWS::Events::Rule').find(([id]) => id.includes('Fulfilment'))?.[1];
    const targets = (rule?.Properties?.Targets ?? []) as { SqsParameters?: { MessageGroupId: string } }[];
    declared = {
      queue: queue ?? {},
      pattern: rule?.Properties?.EventPattern,
      messageGroupId: targets[0]?.SqsParameters?.MessageGroupId ?? '',
    };
  } finally {
    process.chdir(cwd);
  }

  moto = await startMotoServer();
  aws = clients(moto.endpoint);
  restoreEnv = useEndpoint(moto.endpoint, {
    ORDERS_TABLE_NAME: 'orders',
    IDEMPOTENCY_TABLE_NAME: 'idempotency',
  });
  await Promise.all([createTable(aws.dynamo, 'orders', 'pk'), createTable(aws.dynamo, 'idempotency', 'id')]);
  const [bundle] = await bundleHandlers([join(dir, 'app', 'handlers', 'consumers', 'fulfilment.ts')]);
  if (!bundle) throw new Error('no bundle');
  // A fresh module per poll (a new execution environment): it reads DEAD_LETTER_QUEUE_URL when built.
  handler = async (event, context) => (await loadHandler<SqsHandler>(bundle))(event, context);
});

afterAll(async () => {
  restoreEnv?.();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Creates the queue pair and the rule as the template declares them. */
async function provision(name: string, contentBasedDeduplication: boolean): Promise<QueuePair> {
  const pair = await createQueuePair(aws.sqs, name, { contentBasedDeduplication });
  await routeToQueue(aws.events, 'orders-bus', `${name.replace('.fifo', '')}-rule`, declared.pattern, {
    arn: pair.arn,
    messageGroupId: declared.messageGroupId,
  });
  return pair;
}

async function put(details: readonly unknown[]): Promise<void> {
  await aws.events.send(
    new PutEventsCommand({
      Entries: details.map((detail) => ({
        EventBusName: 'orders-bus',
        Source: 'com.example.orders',
        DetailType: 'OrderPlaced',
        Detail: JSON.stringify(detail),
      })),
    }),
  );
}

describe('FIFO consumers', () => {
  it('the synthesized FIFO queue deduplicates by content and the rule target names a message group', () => {
    expect(declared.queue).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: true });
    expect(declared.messageGroupId).toBe('fulfilment');
  });

  it('events are delivered through the real SQS API to the FIFO consumer; a poison event is dead-lettered at once', async () => {
    const fifo = await provision('orders-fulfilment.fifo', declared.queue.ContentBasedDeduplication === true);
    process.env.DEAD_LETTER_QUEUE_URL = fifo.deadLetterUrl;
    const skus = ['FIFOA-1', 'FIFOB-2'];
    const poison = { ...orderPlacedDetail({ sku: 'FIFOP-0' }), data: { orderId: 'not-an-order' } };
    // The poison event is first in its group: healthy events behind it must not wait for it.
    await put([poison, ...skus.map((sku) => orderPlacedDetail({ sku }))]);

    let received = 0;
    for (let i = 0; i < 5 && received < 3; i++) {
      const { result } = await captureLogs(() => pumpQueue(aws.sqs, fifo, handler));
      expect(result.failed).toEqual([]);
      received += result.received;
    }
    expect(received).toBe(3);
    const { reservedStock } = await import(join(dir, 'app', 'lib', 'orders-table.ts'));
    for (const sku of skus) expect(await reservedStock(sku)).toBe(3);
    expect(await receiveAll(aws.sqs, fifo.url, 1)).toEqual([]);
    const dead = await receiveAll(aws.sqs, fifo.deadLetterUrl, 1);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.MessageAttributes?.['evtgen-reason']?.StringValue).toMatch(/\/data\/orderId/);
    expect(dead[0]?.Attributes?.MessageGroupId).toBe('fulfilment');
  });

  it('negative control: without content-based deduplication the same FIFO target receives nothing', async () => {
    const plain = await provision('plain-fulfilment.fifo', false);
    await put([orderPlacedDetail({ sku: 'FIFOC-3' })]);
    expect(await receiveAll(aws.sqs, plain.url, 2)).toEqual([]);
  });
});
