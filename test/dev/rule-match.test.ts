/**
 * Which consumers a published event is for (rule-match.ts). `RuleMatcher` against moto's real
 * `TestEventPattern` (evtgen's launcher answers it with moto's own rule matcher) over loopback: a
 * `detail` filter matches an event with the field and not one without; a pattern whose
 * `source`/`detail-type` list leaves the event out is decided without asking the emulator (calls are
 * counted by a middleware on the real client); envelope-only verdicts are asked once per (pattern,
 * source, detail-type); buses compare by name or ARN. `ruleSubscriptions` on a hand-built plan: a
 * queue target is its queue's consumer, a function target the function, disabled rules count for
 * nothing.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedEntry } from '../../generator/dev/aws-proxy.js';
import { type MotoServer, startMotoServer } from '../../generator/dev/moto-server.js';
import type {
  DevFunction,
  DevPlan,
  DevQueueSource,
  DevRule,
  ProvisionedResources,
} from '../../generator/dev/plan.js';
import { RuleMatcher, type RuleSubscription, ruleSubscriptions } from '../../generator/dev/rule-match.js';
import { credentials } from '../helpers/aws.js';
import { account, region } from '../helpers/flow.js';
import { motoAvailable } from '../helpers/moto.js';

const available = motoAvailable;

let moto: MotoServer;
const clients: EventBridgeClient[] = [];

beforeAll(async () => {
  if (!available) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  moto = await startMotoServer();
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await moto?.stop();
});

/** A real EventBridge client on moto that counts the requests it sends. */
function countingClient(): { client: EventBridgeClient; calls: () => number } {
  const client = new EventBridgeClient({ endpoint: moto.endpoint, region, credentials, maxAttempts: 1 });
  let calls = 0;
  client.middlewareStack.add(
    (next) => (args) => {
      calls++;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequests' },
  );
  clients.push(client);
  return { client, calls: () => calls };
}

const bus = 'orders-bus';
const busArn = `arn:aws:events:${region}:${account}:event-bus/${bus}`;

const subscription = (consumer: string, pattern: unknown, eventBusName = bus): RuleSubscription => ({
  consumer,
  ruleName: `${consumer}-rule`,
  eventBusName,
  eventPattern: JSON.stringify(pattern),
});

const published = (fields: Partial<PublishedEntry> = {}): PublishedEntry => ({
  source: 'a',
  detailType: 'OrderPlaced',
  detail: {},
  eventBusName: bus,
  awsEventId: 'aws-1',
  at: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  ...fields,
});

const matcher = (subscriptions: RuleSubscription[]) => {
  const { client, calls } = countingClient();
  return { rules: new RuleMatcher(subscriptions, client, { account, region }), calls };
};

describe.skipIf(!available)('RuleMatcher against moto', () => {
  it('matches a detail filter on an event with the field and not on one without', async () => {
    const { rules, calls } = matcher([
      subscription('emailer', {
        source: ['a'],
        detail: { data: { customer: { email: [{ exists: true }] } } },
      }),
    ]);
    const withEmail = published({ detail: { data: { customer: { email: 'c@example.org' } } } });
    const without = published({ detail: { data: { customer: { name: 'C' } } } });
    expect(await rules.consumersOf(withEmail)).toEqual(['emailer']);
    expect(await rules.consumersOf(without)).toEqual([]);
    // The detail decides, so nothing is cached: each event was asked about.
    expect(await rules.consumersOf(withEmail)).toEqual(['emailer']);
    expect(calls()).toBe(3);
  });

  it('asks the emulator for what it cannot decide alone (numeric and prefix filters)', async () => {
    const { rules } = matcher([
      subscription('big', { detail: { total: [{ numeric: ['>', 100] }] } }),
      subscription('prefixed', { source: [{ prefix: 'orders.' }] }),
    ]);
    expect(await rules.consumersOf(published({ source: 'orders.eu', detail: { total: 250 } }))).toEqual([
      'big',
      'prefixed',
    ]);
    expect(await rules.consumersOf(published({ source: 'billing', detail: { total: 50 } }))).toEqual([]);
  });

  it('decides without the emulator when the detail-type or source list leaves the event out', async () => {
    const { rules, calls } = matcher([
      subscription('shipper', {
        source: ['a'],
        'detail-type': ['OrderShipped', 'OrderPacked'],
        detail: { data: { customer: { email: [{ exists: true }] } } },
      }),
      subscription('biller', { source: ['b', 'c'], 'detail-type': ['OrderPlaced'] }),
    ]);
    expect(await rules.consumersOf(published({ detail: { data: { customer: { email: 'x' } } } }))).toEqual(
      [],
    );
    expect(calls()).toBe(0);
  });

  it('asks once per (pattern, source, detail-type) for a pattern that tests only those', async () => {
    const { rules, calls } = matcher([subscription('audit', { source: ['a'] })]);
    expect(await rules.consumersOf(published({ detail: { n: 1 } }))).toEqual(['audit']);
    expect(await rules.consumersOf(published({ detail: { n: 2 } }))).toEqual(['audit']);
    expect(calls()).toBe(1);
    expect(await rules.consumersOf(published({ detailType: 'OrderCancelled' }))).toEqual(['audit']);
    expect(calls()).toBe(2);
    // A cached "no" is a no: a prefix the source lacks is asked about once.
    const { rules: prefixed, calls: prefixedCalls } = matcher([
      subscription('eu', { source: [{ prefix: 'eu.' }] }),
    ]);
    expect(await prefixed.consumersOf(published())).toEqual([]);
    expect(await prefixed.consumersOf(published())).toEqual([]);
    expect(prefixedCalls()).toBe(1);
    expect(await prefixed.consumersOf(published({ source: 'eu.orders' }))).toEqual(['eu']);
    expect(prefixedCalls()).toBe(2);
  });

  it('compares buses by name or ARN and ignores rules of other buses without asking', async () => {
    const { rules, calls } = matcher([
      subscription('byName', { source: ['a'] }, bus),
      subscription('byArn', { source: ['a'] }, busArn),
      subscription('elsewhere', { source: ['a'] }, 'other-bus'),
      subscription('onDefault', { source: ['a'] }, 'default'),
    ]);
    expect(await rules.consumersOf(published({ eventBusName: busArn }))).toEqual(['byArn', 'byName']);
    expect(await rules.consumersOf(published({ eventBusName: bus }))).toEqual(['byArn', 'byName']);
    expect(await rules.consumersOf(published({ eventBusName: 'default' }))).toEqual(['onDefault']);
    // One pattern and one (source, detail-type): the cache answered all but the first.
    expect(calls()).toBe(1);
  });

  it('names each consumer once, sorted, however many of its rules match', async () => {
    const { rules } = matcher([
      subscription('zeta', { source: ['a'] }),
      subscription('alpha', { 'detail-type': ['OrderPlaced'] }),
      { ...subscription('zeta', { detail: { n: [1] } }), ruleName: 'zeta-second' },
    ]);
    expect(await rules.consumersOf(published({ detail: { n: 1 } }))).toEqual(['alpha', 'zeta']);
  });
});

describe('ruleSubscriptions', () => {
  const fn = (logicalId: string, name: string): DevFunction => ({
    logicalId,
    name,
    functionName: `stack-${logicalId}`,
    entry: `app/handlers/${name}.ts`,
    handlerExport: 'handler',
    timeoutSeconds: 30,
    memorySize: 512,
    environment: {},
  });
  const queueSource = (fnId: string, queue: string): DevQueueSource => ({
    logicalId: `${fnId}Source`,
    function: fnId,
    queue,
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
  });
  const rule = (logicalId: string, fields: Partial<DevRule>): DevRule => ({
    logicalId,
    ruleName: `stack-${logicalId}`,
    bus: 'OrdersBus',
    eventPattern: `{"detail-type":["${logicalId}"]}`,
    enabled: true,
    targets: [],
    ...fields,
  });
  const plan: DevPlan = {
    stackName: 'stack',
    functions: [fn('ShipFn', 'shipOrder'), fn('AuditFn', 'auditEvents'), fn('BillFn', 'billCustomer')],
    queues: [],
    tables: [],
    buses: [{ logicalId: 'OrdersBus', busName: 'stack-orders' }],
    rules: [
      rule('ShipRule', { targets: [{ id: 'q', kind: 'queue', resource: 'ShipQueue' }] }),
      rule('AuditRule', {
        bus: 'default',
        targets: [
          { id: 'f', kind: 'function', resource: 'AuditFn' },
          { id: 'orphan', kind: 'queue', resource: 'QueueWithoutConsumer' },
        ],
      }),
      rule('BillRule', { enabled: false, targets: [{ id: 'q', kind: 'queue', resource: 'BillQueue' }] }),
    ],
    queueSources: [queueSource('ShipFn', 'ShipQueue'), queueSource('BillFn', 'BillQueue')],
    streamSources: [],
    asyncInvokeConfigs: [],
    routes: [],
    parameters: {},
    otherFunctions: [],
    ignoredTypes: [],
  };
  const resources: ProvisionedResources = {
    region,
    account,
    refs: { OrdersBus: 'stack-orders-physical' },
    attributes: {},
    invokeQueues: {},
  };

  it('maps queue targets through their queue source and function targets directly, by contract name', () => {
    expect(ruleSubscriptions(plan, resources)).toEqual([
      {
        consumer: 'auditEvents',
        ruleName: 'stack-AuditRule',
        eventBusName: 'default',
        eventPattern: '{"detail-type":["AuditRule"]}',
      },
      {
        consumer: 'shipOrder',
        ruleName: 'stack-ShipRule',
        eventBusName: 'stack-orders-physical',
        eventPattern: '{"detail-type":["ShipRule"]}',
      },
    ]);
  });

  it('skips disabled rules and queues no function reads', () => {
    const consumers = ruleSubscriptions(plan, resources).map((s) => s.consumer);
    expect(consumers).not.toContain('billCustomer');
    expect(consumers).toHaveLength(2);
    const enabled = { ...plan, rules: plan.rules.map((r) => ({ ...r, enabled: true })) };
    expect(ruleSubscriptions(enabled, resources).map((s) => s.consumer)).toEqual([
      'auditEvents',
      'billCustomer',
      'shipOrder',
    ]);
  });

  it('names the bus by its logical id when provisioning has not resolved it', () => {
    expect(ruleSubscriptions(plan, { ...resources, refs: {} }).map((s) => s.eventBusName)).toEqual([
      'default',
      'OrdersBus',
    ]);
  });
});
