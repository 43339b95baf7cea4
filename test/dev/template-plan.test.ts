/**
 * The dev plan of the example, read from its real synthesized template (a copy of the repository
 * root's CDK app, see helpers/example-app.ts; bundling off, as `evtgen dev` runs it): the functions with their source entries,
 * queues with redrive, the rules with exactly the template's patterns, the event sources, the routes
 * with their authorization. Then small hand-written templates for what the example does not have:
 * defaults, FIFO naming, functions without metadata, references evtgen dev cannot follow.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevPlan } from '../../generator/dev/plan.js';
import { type SynthesizedStack, synthesizeForDev } from '../../generator/dev/synth.js';
import type { CfnResource, CfnTemplate } from '../../generator/dev/template.js';
import { planFromTemplate } from '../../generator/dev/template-plan.js';
import { exampleAppCopy } from '../helpers/example-app.js';
import { repoRoot } from '../helpers/project.js';

let appDir: string;
let outDir: string;
let synthesized: SynthesizedStack;
let plan: DevPlan;

beforeAll(async () => {
  [appDir, outDir] = await Promise.all([
    exampleAppCopy('dev-plan-'),
    mkdtemp(join(tmpdir(), 'evtgen-dev-plan-')),
  ]);
  synthesized = await synthesizeForDev(appDir, outDir);
  plan = planFromTemplate(synthesized.template, synthesized.stackName);
}, 120_000);

afterAll(async () => {
  for (const dir of [appDir, outDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const fnByName = (name: string) => plan.functions.find((f) => f.name === name);
const queueByName = (name: string) => plan.queues.find((q) => q.queueName === name);
const resourcesOf = (type: string) =>
  Object.entries(synthesized.template.Resources).filter(([, r]) => r.Type === type);

describe('the plan of the example (synthesized without bundling)', () => {
  it('synthesizes the single stack of the app', () => {
    expect(synthesized.stackName).toBe('OrdersService');
    expect(synthesized.templatePath).toBe(join(outDir, 'OrdersService.template.json'));
    expect(synthesized.nestedTemplatePaths).toEqual([]);
  });

  it('has the seven contract functions and the outbox relay, each with its source entry', () => {
    expect(Object.fromEntries(plan.functions.map((f) => [f.name, f.entry]))).toEqual({
      createOrder: 'app/handlers/http/create-order.ts',
      getOrder: 'app/handlers/http/get-order.ts',
      getHealth: 'app/handlers/http/get-health.ts',
      fulfilment: 'app/handlers/consumers/fulfilment.ts',
      notifications: 'app/handlers/consumers/notifications.ts',
      audit: 'app/handlers/consumers/audit.ts',
      shipments: 'app/handlers/consumers/shipments.ts',
      outboxRelay: 'generated/outbox-relay.ts',
    });
    const createOrder = fnByName('createOrder');
    expect(createOrder).toMatchObject({ handlerExport: 'handler', timeoutSeconds: 10, memorySize: 512 });
    expect(createOrder?.functionName).toMatch(/^OrdersService-ServiceApiCreateOrderHandlerFunction/);
    expect(createOrder?.environment.ORDERS_TABLE_NAME).toEqual({ Ref: 'OrdersTable315BB997' });
    expect(plan.otherFunctions).toEqual([]);
  });

  it('has the queues, the fulfilment queue redriving to orders-fulfilment-dlq after 5 receives', () => {
    expect(plan.queues).toHaveLength(resourcesOf('AWS::SQS::Queue').length);
    const fulfilment = queueByName('orders-fulfilment');
    const dlq = queueByName('orders-fulfilment-dlq');
    expect(fulfilment?.redrive).toEqual({ deadLetterQueue: dlq?.logicalId, maxReceiveCount: 5 });
    expect(fulfilment?.attributes).toEqual({ VisibilityTimeout: '180', MessageRetentionPeriod: '345600' });
    expect(fulfilment?.fifo).toBe(false);
    // Encryption settings are not carried over (nothing to encrypt with locally).
    for (const queue of plan.queues)
      expect(Object.keys(queue.attributes)).not.toContain('SqsManagedSseEnabled');
  });

  it("has the four rules with exactly the patterns of the template, shipments' on the shipping bus", () => {
    const rules = resourcesOf('AWS::Events::Rule');
    expect(plan.rules).toHaveLength(4);
    const bus = plan.buses[0];
    // The shipping bus is another service's: the template names it, the plan lists it as foreign.
    expect(plan.buses).toEqual([
      { logicalId: bus?.logicalId, busName: 'orders-bus' },
      { logicalId: 'shipping-bus', busName: 'shipping-bus', foreign: true },
    ]);
    for (const [id, resource] of rules) {
      const rule = plan.rules.find((r) => r.logicalId === id);
      expect(rule?.eventPattern).toBe(JSON.stringify(resource.Properties?.EventPattern));
      expect(rule?.bus).toBe(id.startsWith('ServiceEventsShipmentsRule') ? 'shipping-bus' : bus?.logicalId);
      expect(rule?.enabled).toBe(true);
    }
  });

  it("gives the audit rule the audit function as target, with the target's DLQ and retry policy", () => {
    const audit = fnByName('audit');
    const rule = plan.rules.find((r) => r.targets.some((t) => t.kind === 'function'));
    expect(rule?.targets).toEqual([
      {
        id: 'Target0',
        kind: 'function',
        resource: audit?.logicalId,
        deadLetterQueue: expect.stringMatching(/^ServiceEventsAuditTargetDeadLetterQueue/),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 },
      },
    ]);
    expect(plan.asyncInvokeConfigs).toEqual([
      {
        function: audit?.logicalId,
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 600,
        onFailureQueue: rule?.targets[0]?.deadLetterQueue,
      },
    ]);
    const queueTargets = plan.rules.flatMap((r) => r.targets).filter((t) => t.kind === 'queue');
    expect(
      queueTargets.map((t) => plan.queues.find((q) => q.logicalId === t.resource)?.queueName).sort(),
    ).toEqual(['orders-fulfilment', 'orders-notifications', 'orders-shipments']);
  });

  it("reads the relay's stream source with the INSERT filter and the consumers' queue sources", () => {
    const outbox = plan.tables.find((t) => t.streamViewType !== undefined);
    expect(plan.streamSources).toEqual([
      {
        logicalId: expect.any(String),
        function: fnByName('outboxRelay')?.logicalId,
        table: outbox?.logicalId,
        batchSize: 100,
        startingPosition: 'TRIM_HORIZON',
        bisectBatchOnFunctionError: true,
        reportBatchItemFailures: true,
        filterPatterns: ['{"eventName":["INSERT"]}'],
        maximumRecordAgeInSeconds: 86400,
        onFailureQueue: expect.stringMatching(/^ServiceOutboxRelayDeadLetterQueue/),
      },
    ]);
    const fulfilment = plan.queueSources.find((s) => s.function === fnByName('fulfilment')?.logicalId);
    expect(fulfilment).toMatchObject({
      queue: queueByName('orders-fulfilment')?.logicalId,
      batchSize: 10,
      maximumBatchingWindowSeconds: 1,
      maximumConcurrency: 5,
      reportBatchItemFailures: true,
    });
    expect(plan.queueSources).toHaveLength(3);
  });

  it("has the routes with JWT (issuer and audience of cdk.json's context) or no authorization", async () => {
    const cdkJson = JSON.parse(await readFile(join(repoRoot, 'cdk.json'), 'utf8')) as {
      context: { 'evtgen:jwt': { cognito: { issuer: string; audience: string[] } } };
    };
    const { issuer, audience } = cdkJson.context['evtgen:jwt'].cognito;
    const jwt = { type: 'JWT', scopes: [], issuer, audience };
    const routes = Object.fromEntries(plan.routes.map((r) => [r.routeKey, r]));
    expect(Object.keys(routes).sort()).toEqual(['GET /health', 'GET /orders/{orderId}', 'POST /orders']);
    expect(routes['POST /orders']).toMatchObject({
      method: 'POST',
      path: '/orders',
      function: fnByName('createOrder')?.logicalId,
      authorization: jwt,
    });
    expect(routes['GET /orders/{orderId}']).toMatchObject({
      path: '/orders/{orderId}',
      function: fnByName('getOrder')?.logicalId,
      authorization: jwt,
    });
    expect(routes['GET /health']).toMatchObject({
      function: fnByName('getHealth')?.logicalId,
      authorization: { type: 'NONE' },
    });
  });

  it('has the orders, idempotency and outbox tables', () => {
    const orders = plan.tables.find((t) => t.logicalId.startsWith('OrdersTable'));
    expect(orders).toEqual({
      logicalId: expect.any(String),
      tableName: `OrdersService-${orders?.logicalId}`,
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    });
    const idempotency = plan.tables.find((t) => t.logicalId.startsWith('ServiceIdempotencyTable'));
    expect(idempotency?.timeToLiveAttribute).toBe('expiration');
    expect(plan.tables.find((t) => t.logicalId.startsWith('ServiceOutboxTable'))?.streamViewType).toBe(
      'NEW_IMAGE',
    );
  });

  it('lists what it does not emulate, sorted and once each', () => {
    expect(plan.ignoredTypes).toEqual([...new Set(plan.ignoredTypes)].sort());
    expect(plan.ignoredTypes).toEqual(
      expect.arrayContaining(['AWS::CloudWatch::Alarm', 'AWS::IAM::Role', 'AWS::SQS::QueuePolicy']),
    );
    expect(plan.ignoredTypes).not.toContain('AWS::Lambda::Function');
    // BootstrapVersion is read from SSM: it has no usable default.
    expect(plan.parameters).toEqual({});
  });
});

const fn = (extra: Partial<CfnResource> = {}, props: Record<string, unknown> = {}): CfnResource => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'index.main', ...props } as CfnResource['Properties'],
  Metadata: { 'evtgen:function': { name: 'worker', entry: 'src/worker.ts' } },
  ...extra,
});
const template = (resources: Record<string, CfnResource>, extra: Partial<CfnTemplate> = {}): CfnTemplate => ({
  Resources: resources,
  ...extra,
});

describe('hand-written templates', () => {
  it("applies Lambda's defaults", () => {
    const plan = planFromTemplate(
      template({
        Fn: fn(),
        Queue: { Type: 'AWS::SQS::Queue' },
        Mapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { FunctionName: { Ref: 'Fn' }, EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
        },
        Config: {
          Type: 'AWS::Lambda::EventInvokeConfig',
          Properties: { FunctionName: { Ref: 'Fn' }, Qualifier: '$LATEST' },
        },
      }),
      'Small',
    );
    expect(plan.functions).toEqual([
      {
        logicalId: 'Fn',
        name: 'worker',
        functionName: 'Small-Fn',
        entry: 'src/worker.ts',
        handlerExport: 'main',
        timeoutSeconds: 3,
        memorySize: 128,
        environment: {},
      },
    ]);
    expect(plan.queues).toEqual([
      { logicalId: 'Queue', queueName: 'Small-Queue', fifo: false, attributes: {} },
    ]);
    expect(plan.queueSources).toEqual([
      {
        logicalId: 'Mapping',
        function: 'Fn',
        queue: 'Queue',
        batchSize: 10,
        maximumBatchingWindowSeconds: 0,
        reportBatchItemFailures: false,
      },
    ]);
    expect(plan.asyncInvokeConfigs).toEqual([
      { function: 'Fn', maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21600 },
    ]);
  });

  it('names FIFO queues with .fifo within 80 characters, and long names stay unique', () => {
    const longId = `Queue${'X'.repeat(90)}`;
    const plan = planFromTemplate(
      template({
        [`${longId}A`]: {
          Type: 'AWS::SQS::Queue',
          Properties: { FifoQueue: true, ContentBasedDeduplication: true },
        },
        [`${longId}B`]: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: 'true' } },
        Named: {
          Type: 'AWS::SQS::Queue',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not a JS template
          Properties: { QueueName: { 'Fn::Sub': '${AWS::StackName}-orders.fifo' }, FifoQueue: true },
        },
      }),
      'FifoStack',
    );
    const [a, b, named] = plan.queues;
    expect(a?.queueName).toMatch(/^FifoStack-QueueXXX+-[0-9a-f]{8}\.fifo$/);
    expect(a?.queueName).toHaveLength(80);
    expect(b?.queueName).toHaveLength(80);
    expect(a?.queueName).not.toBe(b?.queueName);
    expect(a?.attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    expect(named).toMatchObject({ queueName: 'FifoStack-orders.fifo', fifo: true });
  });

  it('keeps functions without evtgen metadata aside, and refuses to route to them', () => {
    const provider = { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } };
    const quiet = planFromTemplate(template({ Provider: provider, Fn: fn() }), 'S');
    expect(quiet.functions.map((f) => f.logicalId)).toEqual(['Fn']);
    expect(quiet.otherFunctions).toEqual([{ logicalId: 'Provider', functionName: 'S-Provider' }]);
    const routed = template({
      Provider: provider,
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: ['x'] },
          Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Provider', 'Arn'] } }],
        },
      },
    });
    expect(() => planFromTemplate(routed, 'S')).toThrow(
      /Rule \(AWS::Events::Rule\) Targets\[0\]\.Arn: function Provider has no evtgen:function metadata/,
    );
  });

  it('names the resource and property of a reference it cannot follow', () => {
    const mapping = (arn: unknown): CfnTemplate =>
      template({
        Fn: fn(),
        Mapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { FunctionName: { Ref: 'Fn' }, EventSourceArn: arn } as CfnResource['Properties'],
        },
        Stream: { Type: 'AWS::Kinesis::Stream' },
      });
    expect(() => planFromTemplate(mapping({ 'Fn::GetAtt': ['Missing', 'Arn'] }), 'S')).toThrow(
      'Mapping (AWS::Lambda::EventSourceMapping) EventSourceArn (evtgen dev runs SQS queue and DynamoDB stream sources): expected an SQS queue of this template (Fn::GetAtt [Queue, Arn]), found Missing, which is not a resource of this template',
    );
    expect(() => planFromTemplate(mapping({ 'Fn::GetAtt': ['Stream', 'Arn'] }), 'S')).toThrow(
      /found Stream \(AWS::Kinesis::Stream\.Arn\)/,
    );
    const redrive = template({
      Queue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:1:elsewhere', maxReceiveCount: 3 },
        },
      },
    });
    expect(() => planFromTemplate(redrive, 'S')).toThrow(
      /Queue \(AWS::SQS::Queue\) RedrivePolicy\.deadLetterTargetArn: expected an SQS queue of this template/,
    );
    const bus = template({
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: { EventBusName: { Ref: 'Nope' }, EventPattern: { source: ['x'] } },
      },
    });
    expect(() => planFromTemplate(bus, 'S')).toThrow(
      /Rule \(AWS::Events::Rule\) EventBusName: .*Nope, which is not a resource/,
    );
  });

  it('reads scheduled rules as not emulated, and default-bus rules with input settings', () => {
    const plan = planFromTemplate(
      template({
        Fn: fn(),
        Tick: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)' } },
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            Name: 'named-rule',
            State: 'DISABLED',
            EventPattern: '{"source":["x"]}',
            Targets: [
              {
                Id: 'T',
                Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] },
                InputTransformer: { InputPathsMap: { id: '$.id' }, InputTemplate: '{"id": <id>}' },
              },
            ],
          },
        },
      }),
      'S',
    );
    expect(plan.rules).toEqual([
      {
        logicalId: 'Rule',
        ruleName: 'named-rule',
        bus: 'default',
        eventPattern: '{"source":["x"]}',
        enabled: false,
        targets: [
          {
            id: 'T',
            kind: 'function',
            resource: 'Fn',
            inputTransformer: { inputPathsMap: { id: '$.id' }, inputTemplate: '{"id": <id>}' },
          },
        ],
      },
    ]);
    expect(plan.ignoredTypes).toEqual(['AWS::Events::Rule (schedule)']);
  });

  it("plans a rule on another service's bus (by name or ARN) with that bus as foreign, and skips forwards to another account", () => {
    const plan = planFromTemplate(
      template({
        Fn: fn(),
        OnName: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventBusName: 'shipping-bus',
            EventPattern: { source: ['s'] },
            Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }],
          },
        },
        OnArn: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventBusName: 'arn:aws:events:eu-west-1:111111111111:event-bus/orders-bus',
            EventPattern: { source: ['o'] },
            Targets: [
              { Id: 'T', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
              { Id: 'F', Arn: 'arn:aws:events:eu-west-1:222222222222:event-bus/shipping-bus' },
            ],
          },
        },
      }),
      'S',
    );
    expect(plan.buses).toEqual([
      { logicalId: 'shipping-bus', busName: 'shipping-bus', foreign: true },
      { logicalId: 'orders-bus', busName: 'orders-bus', foreign: true },
    ]);
    expect(plan.rules.map((r) => [r.logicalId, r.bus, r.targets.map((t) => t.id)])).toEqual([
      ['OnName', 'shipping-bus', ['T']],
      ['OnArn', 'orders-bus', ['T']],
    ]);
    expect(plan.ignoredTypes).toContain('AWS::Events::Rule target (a bus of another account)');
  });

  it('reads parameter defaults and uses them in names', () => {
    const plan = planFromTemplate(
      template(
        {
          Table: {
            Type: 'AWS::DynamoDB::Table',
            Properties: { TableName: { Ref: 'Prefix' }, KeySchema: [] },
          },
        },
        {
          Parameters: {
            Prefix: { Type: 'String', Default: 'items' },
            Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
          },
        },
      ),
      'S',
    );
    expect(plan.parameters).toEqual({ Prefix: 'items', Zones: ['a', 'b'] });
    expect(plan.tables[0]?.tableName).toBe('items');
    const unknown = template({
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { Ref: 'Other' } } },
    });
    expect(() => planFromTemplate(unknown, 'S')).toThrow(
      /Table \(AWS::DynamoDB::Table\) TableName: \{"Ref":"Other"\} must be a literal or use only parameters/,
    );
  });
});
