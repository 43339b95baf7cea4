/**
 * The example service's synthesized template, bullet by bullet of the CDK issue: one route per
 * operation, authorizers, throttling, CORS, access logs; the bus, one rule per consumer with exactly its
 * pattern, dead-letter queues and retry policies on every hop, queues and event source mappings as
 * the bindings and `x-consumer` say; least-privilege IAM; the Schema Registry; the idempotency
 * table; tracing, log retention and alarms. Synthesized once (bundling off, see synth.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceStack } from '../../app/cdk/stack.js';
import { loadContract } from '../../generator/model/build-model.js';
import type { ContractModel } from '../../generator/model/contract.js';
import { repoRoot } from '../helpers/project.js';
import {
  type CfnResource,
  cdkJsonContext,
  newApp,
  ofType,
  refId,
  type Synthesized,
  synthesized,
} from './synth.js';

let model: ContractModel;
let s: Synthesized;
let resources: Record<string, CfnResource>;

beforeAll(async () => {
  const [loaded, context] = await Promise.all([
    loadContract(repoRoot, `${repoRoot}/specs`, { validate: false }),
    cdkJsonContext(),
  ]);
  if (!loaded.model) throw new Error('the example specs do not load');
  model = loaded.model;
  const app = newApp(context);
  s = synthesized(app, new ServiceStack(app, 'OrdersService'));
  resources = s.resources;
});

const props = (r: CfnResource | undefined) => (r?.Properties ?? {}) as Record<string, unknown>;
/** The event source mappings that read an SQS queue (the consumers'; the outbox relay reads a stream). */
const sqsMappings = () =>
  ofType(resources, 'AWS::Lambda::EventSourceMapping').filter(
    ([, m]) => resources[refId(props(m).EventSourceArn) ?? '']?.Type === 'AWS::SQS::Queue',
  );
const fnOf = (operationOrConsumer: 'Api' | 'Events', id: string) =>
  ofType(resources, 'AWS::Lambda::Function').find(([lid]) =>
    lid.startsWith(`Service${operationOrConsumer}${id}HandlerFunction`),
  );

describe('HTTP API', () => {
  it('has one route per operation, each integrated with its own function', () => {
    const routes = ofType(resources, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => props(r).RouteKey).sort()).toEqual(
      model.httpOperations.map((op) => `${op.method.toUpperCase()} ${op.path}`).sort(),
    );
    const integrations = ofType(resources, 'AWS::ApiGatewayV2::Integration');
    expect(integrations).toHaveLength(model.httpOperations.length);
    for (const op of model.httpOperations) {
      const fn = fnOf('Api', op.name);
      expect(fn, op.operationId).toBeDefined();
      const integration = integrations.find(([, i]) => refId(props(i).IntegrationUri) === fn?.[0]);
      expect(integration, `${op.operationId} integration`).toBeDefined();
      const route = routes.find(([, r]) => props(r).RouteKey === `${op.method.toUpperCase()} ${op.path}`);
      expect(JSON.stringify(props(route?.[1]).Target)).toContain(integration?.[0]);
    }
  });

  it('protects every operation with the JWT authorizer of its security scheme; security: [] is public', () => {
    const authorizers = ofType(resources, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] as [string, CfnResource];
    expect(props(authorizer)).toMatchObject({
      AuthorizerType: 'JWT',
      Name: 'cognito',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_REPLACEME',
        Audience: ['replace-with-the-app-client-id'],
      },
    });
    for (const [, route] of ofType(resources, 'AWS::ApiGatewayV2::Route')) {
      const op = model.httpOperations.find(
        (o) => `${o.method.toUpperCase()} ${o.path}` === props(route).RouteKey,
      );
      if (op?.isPublic) {
        expect(props(route).AuthorizationType).toBe('NONE');
        expect(op.operationId).toBe('getHealth');
      } else {
        expect(props(route).AuthorizationType).toBe('JWT');
        expect(refId(props(route).AuthorizerId)).toBe(authorizerId);
      }
    }
  });

  it('throttles the stage with the document x-throttling (1,000 rps, the objective) and each route with its own', () => {
    const [[, stage]] = ofType(resources, 'AWS::ApiGatewayV2::Stage') as [[string, CfnResource]];
    expect(props(stage).DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 1000,
      ThrottlingBurstLimit: 2000,
      DetailedMetricsEnabled: true,
    });
    const routeSettings = props(stage).RouteSettings as Record<string, unknown>;
    expect(routeSettings['GET /orders/{orderId}']).toEqual({
      ThrottlingRateLimit: 2000,
      ThrottlingBurstLimit: 4000,
      DetailedMetricsEnabled: true,
    });
    for (const op of model.httpOperations) {
      expect(routeSettings[`${op.method.toUpperCase()} ${op.path}`]).toEqual({
        ThrottlingRateLimit: op.throttling?.rateLimit,
        ThrottlingBurstLimit: op.throttling?.burstLimit,
        DetailedMetricsEnabled: true,
      });
      // Every path of the example meets the architecture's 1,000 requests per second.
      expect(op.throttling?.rateLimit, op.operationId).toBeGreaterThanOrEqual(1000);
    }
  });

  it('writes JSON access logs to a log group with a retention', () => {
    const [[, stage]] = ofType(resources, 'AWS::ApiGatewayV2::Stage') as [[string, CfnResource]];
    const settings = props(stage).AccessLogSettings as { DestinationArn: unknown; Format: string };
    const logGroup = resources[refId(settings.DestinationArn) ?? ''];
    expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(props(logGroup).RetentionInDays).toBe(30);
    expect(JSON.parse(settings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
  });

  it("answers CORS preflights as the document's x-cors says, with the defaults from the operations", () => {
    const [[, api]] = ofType(resources, 'AWS::ApiGatewayV2::Api') as [[string, CfnResource]];
    expect(props(api).ProtocolType).toBe('HTTP');
    expect(props(api).CorsConfiguration).toEqual({
      AllowOrigins: ['https://shop.example.org'],
      AllowMethods: ['GET', 'POST'],
      AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
      ExposeHeaders: ['location', 'x-correlation-id'],
      MaxAge: 600,
      AllowCredentials: false,
    });
    expect(model.cors).toEqual({
      allowOrigins: ['https://shop.example.org'],
      allowMethods: [...new Set(model.httpOperations.map((op) => op.method.toUpperCase()))].sort(),
      allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
      exposeHeaders: ['location', 'x-correlation-id'],
      maxAgeSeconds: 600,
      allowCredentials: false,
    });
  });
});

describe('functions', () => {
  it('one per operation and per consumer, plus the outbox relay: Node 24 on arm64, X-Ray active, own log group with retention', () => {
    const functions = ofType(resources, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(model.httpOperations.length + model.consumers.length + 1);
    expect(functions.filter(([id]) => id.startsWith('ServiceOutboxRelayHandlerFunction'))).toHaveLength(1);
    for (const [id, fn] of functions) {
      expect(props(fn), id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'orders-service',
            POWERTOOLS_METRICS_NAMESPACE: 'OrdersService',
          }),
        },
      });
      const logGroup = resources[refId((props(fn).LoggingConfig as { LogGroup: unknown }).LogGroup) ?? ''];
      expect(props(logGroup).RetentionInDays, id).toBe(30);
    }
    for (const [id, logGroup] of ofType(resources, 'AWS::Logs::LogGroup')) {
      expect(props(logGroup).RetentionInDays, id).toBe(30);
    }
  });

  it('publishers get EVENT_BUS_NAME; consumers and idempotent handlers the idempotency table', () => {
    for (const op of model.httpOperations) {
      const vars = (props(fnOf('Api', op.name)?.[1]).Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(vars.EVENT_BUS_NAME !== undefined, op.operationId).toBe(op.emits.length > 0);
    }
    for (const consumer of model.consumers) {
      const id = consumer.name[0]?.toUpperCase() + consumer.name.slice(1);
      const vars = (props(fnOf('Events', id)?.[1]).Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(refId(vars.IDEMPOTENCY_TABLE_NAME), consumer.name).toMatch(/^ServiceIdempotencyTable/);
      expect(refId(vars.ORDERS_TABLE_NAME), consumer.name).toMatch(/^OrdersTable/);
    }
  });
});

describe('events', () => {
  it('creates the bus the AsyncAPI document names', () => {
    s.template.resourceCountIs('AWS::Events::EventBus', 1);
    s.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'orders-bus' });
  });

  it('has one rule per consumer, on the bus, with exactly its pattern', () => {
    const rules = ofType(resources, 'AWS::Events::Rule');
    expect(rules).toHaveLength(model.consumers.length);
    const patterns = Object.fromEntries(
      rules.map(([id, r]) => [id.replace(/^ServiceEvents|Rule[0-9A-F]{8}$/g, ''), props(r).EventPattern]),
    );
    expect(patterns).toEqual({
      Fulfilment: { source: ['com.example.orders'], 'detail-type': ['OrderPlaced'] },
      Notifications: {
        source: ['com.example.orders'],
        'detail-type': ['OrderShipped', 'PaymentFailed'],
        detail: { data: { customer: { email: [{ exists: true }] } } },
      },
      Audit: {
        source: ['com.example.orders'],
        'detail-type': ['OrderPlaced', 'OrderShipped', 'PaymentFailed'],
      },
      // The shipping service's event: its rule is on the shipping bus, referenced by name, not created.
      Shipments: { source: ['com.example.shipping'], 'detail-type': ['ShipmentDispatched'] },
    });
    for (const [id, rule] of rules) {
      if (id.startsWith('ServiceEventsShipmentsRule')) expect(props(rule).EventBusName).toBe('shipping-bus');
      else expect(refId(props(rule).EventBusName), id).toMatch(/^ServiceEventsBus/);
    }
  });

  it('puts a DeadLetterConfig and the spec RetryPolicy on every rule target', () => {
    for (const consumer of model.consumers) {
      const id = consumer.name[0]?.toUpperCase() + consumer.name.slice(1);
      const [, rule] = ofType(resources, 'AWS::Events::Rule').find(([lid]) =>
        lid.startsWith(`ServiceEvents${id}Rule`),
      ) as [string, CfnResource];
      const targets = props(rule).Targets as Record<string, unknown>[];
      expect(targets).toHaveLength(1);
      const [target] = targets as [Record<string, unknown>];
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: consumer.retryAttempts,
        MaximumEventAgeInSeconds: consumer.maxEventAgeSeconds,
      });
      const dlq = resources[refId((target.DeadLetterConfig as { Arn: unknown }).Arn) ?? ''];
      expect(dlq?.Type).toBe('AWS::SQS::Queue');
      const destination = resources[refId(target.Arn) ?? ''];
      expect(destination?.Type).toBe(
        consumer.delivery === 'queue' ? 'AWS::SQS::Queue' : 'AWS::Lambda::Function',
      );
    }
  });

  it('queues: SQS-managed encryption, SSL enforced, a RedrivePolicy on every queue that is not itself a DLQ', () => {
    const queues = ofType(resources, 'AWS::SQS::Queue');
    const deadLetterIds = new Set<string>();
    for (const [, q] of queues) {
      const redrive = props(q).RedrivePolicy as { deadLetterTargetArn: unknown } | undefined;
      if (redrive) deadLetterIds.add(refId(redrive.deadLetterTargetArn) ?? '');
    }
    for (const [, rule] of ofType(resources, 'AWS::Events::Rule')) {
      for (const t of props(rule).Targets as { DeadLetterConfig: { Arn: unknown } }[])
        deadLetterIds.add(refId(t.DeadLetterConfig.Arn) ?? '');
    }
    for (const [, mapping] of ofType(resources, 'AWS::Lambda::EventSourceMapping')) {
      const onFailure = props(mapping).DestinationConfig as
        | { OnFailure?: { Destination: unknown } }
        | undefined;
      if (onFailure?.OnFailure) deadLetterIds.add(refId(onFailure.OnFailure.Destination) ?? '');
    }
    // Three queue consumers: queue + DLQ + target DLQ each; the direct consumer: its target DLQ; the
    // outbox relay: its DLQ.
    expect(queues).toHaveLength(11);
    for (const [id, q] of queues) {
      expect(props(q).SqsManagedSseEnabled, id).toBe(true);
      if (!deadLetterIds.has(id))
        expect(props(q).RedrivePolicy, id).toEqual({
          deadLetterTargetArn: expect.anything(),
          maxReceiveCount: 5,
        });
      const policy = ofType(resources, 'AWS::SQS::QueuePolicy').find(([, p]) =>
        (props(p).Queues as unknown[]).some((ref) => refId(ref) === id),
      );
      expect(JSON.stringify(props(policy?.[1]).PolicyDocument), id).toContain(
        '"aws:SecureTransport":"false"',
      );
    }
    expect(queues.filter(([id]) => !deadLetterIds.has(id))).toHaveLength(3);
  });

  it('queues take name, retention and visibility from the sqs binding, visibility ≥ 6× the function timeout', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'orders-fulfilment',
      MessageRetentionPeriod: 345600,
      VisibilityTimeout: 180,
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'orders-fulfilment-dlq',
      MessageRetentionPeriod: 1209600,
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'orders-notifications',
      VisibilityTimeout: 180,
    });
    for (const [id, mapping] of sqsMappings()) {
      const queue = resources[refId(props(mapping).EventSourceArn) ?? ''];
      const fn = resources[refId(props(mapping).FunctionName) ?? ''];
      expect(props(queue).VisibilityTimeout as number, id).toBeGreaterThanOrEqual(
        6 * (props(fn).Timeout as number),
      );
      expect(props(queue).FifoQueue, id).toBeUndefined();
    }
  });

  it('every event source mapping reports batch item failures, with the x-consumer batch settings', () => {
    const mappings = sqsMappings();
    const queueConsumers = model.consumers.filter((c) => c.delivery === 'queue');
    expect(mappings).toHaveLength(queueConsumers.length);
    for (const consumer of queueConsumers) {
      const id = consumer.name[0]?.toUpperCase() + consumer.name.slice(1);
      const [, mapping] = mappings.find(([lid]) => lid.startsWith(`ServiceEvents${id}Handler`)) as [
        string,
        CfnResource,
      ];
      expect(props(mapping)).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: consumer.batchSize,
        MaximumBatchingWindowInSeconds: consumer.maxBatchingWindowSeconds,
        ScalingConfig: { MaximumConcurrency: consumer.maxConcurrency },
      });
      // The consumer's queue is the queue its rule targets.
      const [, rule] = ofType(resources, 'AWS::Events::Rule').find(([lid]) =>
        lid.startsWith(`ServiceEvents${id}Rule`),
      ) as [string, CfnResource];
      expect(refId((props(rule).Targets as { Arn: unknown }[])[0]?.Arn)).toBe(
        refId(props(mapping).EventSourceArn),
      );
    }
  });

  it('queue consumers send poison events to their queue DLQ, direct ones to their target DLQ, and may only send there', () => {
    for (const consumer of model.consumers) {
      const id = consumer.name[0]?.toUpperCase() + consumer.name.slice(1);
      const vars = (props(fnOf('Events', id)?.[1]).Environment as { Variables: Record<string, unknown> })
        .Variables;
      const dlq = consumer.delivery === 'queue' ? 'DeadLetterQueue' : 'TargetDeadLetterQueue';
      expect(refId(vars.DEAD_LETTER_QUEUE_URL), consumer.name).toMatch(
        new RegExp(`^ServiceEvents${id}${dlq}`),
      );
    }
  });

  it('the outbox: table with a stream and TTL; the relay reads only new rows, in order, with bisection and its own DLQ', () => {
    const [[tableId, table]] = ofType(resources, 'AWS::DynamoDB::Table').filter(([id]) =>
      id.startsWith('ServiceOutboxTable'),
    ) as [[string, CfnResource]];
    expect(props(table)).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const relay = ofType(resources, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => refId(props(m).EventSourceArn) === tableId,
    );
    expect(relay).toHaveLength(1);
    expect(props(relay[0]?.[1])).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRecordAgeInSeconds: 86400,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
    });
    const onFailure = (props(relay[0]?.[1]).DestinationConfig as { OnFailure: { Destination: unknown } })
      .OnFailure.Destination;
    expect(refId(onFailure)).toMatch(/^ServiceOutboxRelayDeadLetterQueue/);
    // Emitting operations get the table's name and may put rows into it.
    for (const op of model.httpOperations) {
      const vars = (props(fnOf('Api', op.name)?.[1]).Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(refId(vars.OUTBOX_TABLE_NAME) !== undefined, op.operationId).toBe(op.emits.length > 0);
    }
  });

  it('direct delivery: rule → function with async retries, maximum age and an on-failure destination', () => {
    const audit = model.consumers.find((c) => c.delivery === 'direct');
    expect(audit?.name).toBe('audit');
    const [[, config]] = ofType(resources, 'AWS::Lambda::EventInvokeConfig') as [[string, CfnResource]];
    expect(props(config)).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 });
    expect(refId(props(config).FunctionName)).toMatch(/^ServiceEventsAuditHandlerFunction/);
    const destination = (props(config).DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure
      .Destination;
    expect(refId(destination)).toMatch(/^ServiceEventsAuditTargetDeadLetterQueue/);
  });
});

describe('least privilege', () => {
  type Statement = Record<string, unknown> & { id: string };
  type Document = { Statement: Record<string, unknown>[] };
  /** Statements of every policy resource and of every role's inline policies. */
  const statements = (): Statement[] => [
    ...ofType(resources, 'AWS::IAM::Policy').flatMap(([id, p]) =>
      ((props(p).PolicyDocument as Document).Statement ?? []).map((st): Statement => ({ ...st, id })),
    ),
    ...ofType(resources, 'AWS::IAM::Role').flatMap(([id, r]) =>
      ((props(r).Policies ?? []) as { PolicyName: string; PolicyDocument: Document }[]).flatMap((policy) =>
        policy.PolicyDocument.Statement.map((st): Statement => ({ ...st, id: `${id}/${policy.PolicyName}` })),
      ),
    ),
  ];
  const actions = (st: Record<string, unknown>) => [st.Action].flat() as string[];

  it('has no statement with Resource "*" except X-Ray and the relay\'s ListStreams (AWS requires it)', () => {
    for (const st of statements()) {
      if (st.Resource === '*' || (Array.isArray(st.Resource) && st.Resource.includes('*'))) {
        // dynamodb:ListStreams has no resource-level permission; only the outbox relay has it.
        const listStreams = actions(st).includes('dynamodb:ListStreams');
        if (listStreams) expect(st.id).toMatch(/^ServiceOutboxRelayHandlerRole/);
        expect(
          actions(st).every(
            (a) => a.startsWith('xray:') || a === 'cloudwatch:PutMetricData' || a === 'dynamodb:ListStreams',
          ),
          st.id,
        ).toBe(true);
      }
    }
    for (const [id, role] of ofType(resources, 'AWS::IAM::Role'))
      expect(props(role).ManagedPolicyArns, id).toBeUndefined();
  });

  it('keeps Resource "*" out of the policies grants go to: X-Ray is in each role\'s inline Tracing policy', () => {
    const wildcards = statements().filter(
      (st) => st.Resource === '*' || (Array.isArray(st.Resource) && st.Resource.includes('*')),
    );
    expect(wildcards.length).toBeGreaterThan(0);
    for (const st of wildcards) {
      // The one other: the outbox relay's dynamodb:ListStreams, which has no resource-level permission.
      if (actions(st).includes('dynamodb:ListStreams')) {
        expect(actions(st)).toEqual(['dynamodb:ListStreams']);
        expect(st.id).toMatch(/^ServiceOutboxRelayHandlerRoleDefaultPolicy/);
      } else expect(st.id, JSON.stringify(st)).toMatch(/\/Tracing$/);
    }
    for (const [id, fn] of ofType(resources, 'AWS::Lambda::Function'))
      expect(props(fn).TracingConfig, id).toEqual({ Mode: 'Active' });
  });

  it('only publishers (and the outbox relay) may PutEvents, on their bus only', () => {
    const putEvents = statements().filter((st) => actions(st).includes('events:PutEvents'));
    const publishers = model.httpOperations.filter((op) => op.emits.length > 0);
    expect(putEvents.map((st) => st.id.replace(/HandlerRole.*$/, '')).sort()).toEqual(
      [...publishers.map((op) => `ServiceApi${op.name}`), 'ServiceOutboxRelay'].sort(),
    );
    for (const st of putEvents) {
      expect(actions(st)).toEqual(['events:PutEvents']);
      expect(refId(st.Resource)).toMatch(/^ServiceEventsBus/);
    }
  });

  it('each consumer reads only its own queue', () => {
    const reads = statements().filter((st) => actions(st).includes('sqs:ReceiveMessage'));
    expect(reads).toHaveLength(3);
    for (const st of reads) {
      const consumer = st.id.replace(/^ServiceEvents|HandlerRole.*$/g, '');
      expect(refId(st.Resource), st.id).toMatch(new RegExp(`^ServiceEvents${consumer}Queue`));
    }
  });

  it('every table grant names one table ARN, no index wildcards', () => {
    // dynamodb:ListStreams has no resource-level permission (see the Resource "*" test above).
    const tableActions = (s: Record<string, unknown>) =>
      actions(s).some((a) => a.startsWith('dynamodb:') && a !== 'dynamodb:ListStreams');
    for (const st of statements().filter(tableActions)) {
      expect(refId(st.Resource), st.id).toMatch(/^(ServiceIdempotencyTable|ServiceOutboxTable|OrdersTable)/);
    }
  });
});

describe('Schema Registry', () => {
  it('one registry and one schema per event type, named {source}@{DetailType}, in draft 4', () => {
    s.template.resourceCountIs('AWS::EventSchemas::Registry', 1);
    const schemas = ofType(resources, 'AWS::EventSchemas::Schema');
    // Another service's event (ShipmentDispatched, pinned) is in its producer's registry, not here.
    expect(schemas.map(([, x]) => props(x).SchemaName).sort()).toEqual(
      model.events
        .filter((e) => !e.external)
        .map((e) => `${e.source}@${e.detailType}`)
        .sort(),
    );
    expect(model.events.some((e) => e.external)).toBe(true);
    for (const [id, schema] of schemas) {
      expect(props(schema).Type, id).toBe('JSONSchemaDraft4');
      const content = JSON.parse(props(schema).Content as string);
      expect(content.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(content.properties.detail).toBeDefined();
      expect(refId(props(schema).RegistryName)).toMatch(/^ServiceEventsSchemaRegistry/);
    }
  });
});

describe('idempotency, alarms', () => {
  it('idempotency table: partition key id, TTL on expiration, point-in-time recovery', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('alarms on error rate, throttles and p99 duration per function', () => {
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, a]) => props(a));
    for (const [fnId] of ofType(resources, 'AWS::Lambda::Function')) {
      const of = (metric: string) =>
        alarms.filter(
          (a) =>
            a.Namespace === 'AWS/Lambda' &&
            a.MetricName === metric &&
            (a.Dimensions as { Value: unknown }[]).some((d) => refId(d.Value) === fnId),
        );
      // Errors as a share of invocations (metric math): test/cdk/alarms.test.ts.
      const errorRate = alarms.filter(
        (a) =>
          JSON.stringify(a.Metrics ?? []).includes(`"MetricName":"Errors"`) &&
          JSON.stringify(a.Metrics).includes(`"Ref":"${fnId}"`),
      );
      expect(errorRate, fnId).toHaveLength(1);
      expect(of('Throttles'), fnId).toHaveLength(1);
      expect(of('Duration')[0]?.ExtendedStatistic, fnId).toBe('p99');
    }
  });

  it('alarms on DLQ depth > 0 for every DLQ, oldest message age for every queue, and EventBridge failures per rule', () => {
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, a]) => props(a));
    const queueAlarms = (metric: string) =>
      new Set(
        alarms
          .filter((a) => a.Namespace === 'AWS/SQS' && a.MetricName === metric)
          .map((a) => refId((a.Dimensions as { Value: unknown }[])[0]?.Value)),
      );
    const depth = queueAlarms('ApproximateNumberOfMessagesVisible');
    const age = queueAlarms('ApproximateAgeOfOldestMessage');
    for (const [id] of ofType(resources, 'AWS::SQS::Queue')) {
      expect(depth.has(id) || age.has(id), id).toBe(true);
      if (/DeadLetterQueue/.test(id)) expect(depth.has(id), id).toBe(true);
      else expect(age.has(id), id).toBe(true);
    }
    for (const a of alarms.filter((x) => x.MetricName === 'ApproximateNumberOfMessagesVisible')) {
      expect(a.Threshold).toBe(0);
      expect(a.ComparisonOperator).toBe('GreaterThanThreshold');
    }
    for (const [ruleId] of ofType(resources, 'AWS::Events::Rule')) {
      for (const metric of ['FailedInvocations', 'InvocationsSentToDlq']) {
        const found = alarms.filter(
          (a) =>
            a.Namespace === 'AWS/Events' &&
            a.MetricName === metric &&
            (a.Dimensions as { Name: string; Value: unknown }[]).some(
              (d) => d.Name === 'RuleName' && refId(d.Value) === ruleId,
            ),
        );
        expect(found, `${ruleId} ${metric}`).toHaveLength(1);
      }
    }
  });
});

describe('construct ids', () => {
  it('derive from contract names (operationId, consumer name, message name), never positions', () => {
    const ids = Object.keys(resources);
    for (const op of model.httpOperations)
      expect(ids.some((id) => id.startsWith(`ServiceApi${op.name}Handler`))).toBe(true);
    for (const c of model.consumers) {
      const id = c.name[0]?.toUpperCase() + c.name.slice(1);
      expect(ids.some((x) => x.startsWith(`ServiceEvents${id}Rule`))).toBe(true);
    }
    for (const e of model.events.filter((x) => !x.external))
      expect(ids.some((id) => id.startsWith(`ServiceEventsSchema${e.names.payload}`))).toBe(true);
    expect(ids.filter((id) => /\d+Handler|Target\d|Route\d/.test(id))).toEqual([]);
  });
});
