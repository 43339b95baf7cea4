/**
 * The opt-in `layout: 'nested'` of the example: the same resources as the single layout (by type and
 * count, the nested stacks themselves aside), each function with everything of it in a nested stack
 * named after its contract name, the shared and stateful resources (HTTP API, bus, registry,
 * idempotency table) in the parent, exact rule patterns, unchanged alarms and IAM actions, the
 * schemas grouped by a stable hash, and cdk-nag clean. Bundling off (see synth.ts).
 */
import { type App, NestedStack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceStack } from '../../app/cdk/stack.js';
import { contract } from '../../generated/cdk/contract.js';
import { schemaStackId } from '../../generated/cdk/index.js';
import {
  allResources,
  type CfnResource,
  cdkJsonContext,
  nestedStackOf,
  newApp,
  type StackTemplate,
  stackTemplates,
} from './synth.js';

let single: Record<string, CfnResource>;
let nested: ServiceStack;
let nestedTemplates: StackTemplate[];
let nestedResources: Record<string, CfnResource>;
let violations: string[];
let app: App;

beforeAll(async () => {
  const context = await cdkJsonContext();
  const singleApp = newApp(context);
  single = allResources(new ServiceStack(singleApp, 'OrdersService'));
  app = newApp(context);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  nested = new ServiceStack(app, 'OrdersService', { layout: 'nested' });
  nestedTemplates = stackTemplates(nested);
  nestedResources = allResources(nested);
  violations = new AwsSolutionsChecks()
    .validateScope(nested)
    .violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(',')}`);
});

const props = (r: CfnResource | undefined) => (r?.Properties ?? {}) as Record<string, unknown>;
const countByType = (resources: Record<string, CfnResource>) => {
  const counts: Record<string, number> = {};
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::CloudFormation::Stack') counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  }
  return counts;
};
const templateOf = (stack: NestedStack | undefined) => nestedTemplates.find((t) => t.stack === stack);
const ofTypeIn = (t: StackTemplate | undefined, type: string) =>
  Object.values(t?.template.Resources ?? {}).filter((r) => r.Type === type);

describe("layout: 'nested' (the example)", () => {
  it('creates the same resources as the single layout, by type and count', () => {
    expect(countByType(nestedResources)).toEqual(countByType(single));
  });

  it('puts every function, with its role, log group, alarms and route or rule, in a nested stack named after it', () => {
    const ids = [...contract.routes.map((r) => r.id), ...contract.consumers.map((c) => c.id)];
    const names = [...contract.routes.map((r) => r.operationId), ...contract.consumers.map((c) => c.name)];
    expect(Object.keys(nested.service.functions).sort()).toEqual([...names].sort());
    names.forEach((name, i) => {
      const stack = nestedStackOf(nested.service.fn(name));
      expect(stack, name).toBeInstanceOf(NestedStack);
      expect(stack?.node.id, name).toBe(ids[i]);
      const t = templateOf(stack);
      expect(ofTypeIn(t, 'AWS::Lambda::Function'), name).toHaveLength(1);
      expect(ofTypeIn(t, 'AWS::IAM::Role'), name).toHaveLength(1);
      expect(ofTypeIn(t, 'AWS::Logs::LogGroup'), name).toHaveLength(1);
      expect(ofTypeIn(t, 'AWS::CloudWatch::Alarm').length, name).toBeGreaterThanOrEqual(3);
    });
    for (const route of contract.routes) {
      const t = templateOf(nestedStackOf(nested.service.fn(route.operationId)));
      expect(ofTypeIn(t, 'AWS::ApiGatewayV2::Route').map((r) => props(r).RouteKey)).toEqual([
        `${route.method} ${route.path}`,
      ]);
      expect(ofTypeIn(t, 'AWS::ApiGatewayV2::Integration')).toHaveLength(1);
      expect(ofTypeIn(t, 'AWS::Lambda::Permission')).toHaveLength(1);
    }
    // The parent holds no function and no per-function resource.
    const parent = nestedTemplates[0];
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::IAM::Role',
      'AWS::ApiGatewayV2::Route',
      'AWS::SQS::Queue',
    ])
      expect(ofTypeIn(parent, type), type).toEqual([]);
  });

  it('keeps the HTTP API, bus, registry and tables in the parent stack', () => {
    const parent = nestedTemplates[0];
    expect(parent?.stack).toBe(nested);
    for (const [type, count] of [
      ['AWS::ApiGatewayV2::Api', 1],
      ['AWS::ApiGatewayV2::Stage', 1],
      ['AWS::ApiGatewayV2::Authorizer', contract.authorizers.length],
      ['AWS::Events::EventBus', 1],
      ['AWS::EventSchemas::Registry', 1],
      // Orders, idempotency and outbox: stateful, so never moved by a layout change.
      ['AWS::DynamoDB::Table', 3],
    ] as const) {
      expect(ofTypeIn(parent, type), type).toHaveLength(count);
    }
    expect(ofTypeIn(parent, 'AWS::Logs::LogGroup')).toHaveLength(1); // the access logs
  });

  it("puts each consumer's exact rule pattern, on the parent's bus, in its nested stack", () => {
    for (const consumer of contract.consumers) {
      const t = templateOf(nestedStackOf(nested.service.events.consumers[consumer.name]?.rule ?? nested));
      const rules = ofTypeIn(t, 'AWS::Events::Rule');
      expect(rules.map((r) => props(r).EventPattern)).toEqual([consumer.pattern]);
      // Another service's bus is named (shipments: shipping-bus); the own bus comes in as a
      // parameter of the nested stack.
      const bus = props(rules[0]).EventBusName as { Ref?: string } | string;
      if (consumer.bus) expect(bus).toBe(consumer.bus.name);
      else expect(Object.keys(t?.template.Parameters ?? {})).toContain((bus as { Ref?: string }).Ref);
    }
  });

  it('groups the schemas by a hash of the message name into nested stacks', () => {
    for (const event of contract.events.filter((e) => !e.external)) {
      const schema = nested.service.events.schemas[event.messageName];
      expect(schema, event.messageName).toBeDefined();
      expect(nestedStackOf(schema ?? nested)?.node.id).toBe(schemaStackId(event.messageName));
    }
    expect(schemaStackId('OrderPlaced')).toMatch(/^Schemas(0\d|1[0-5])$/);
  });

  it('keeps every alarm and every function’s IAM actions', () => {
    const alarms = (resources: Record<string, CfnResource>) =>
      Object.values(resources)
        .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
        .map((r) => {
          const p = props(r);
          return JSON.stringify([
            p.AlarmDescription,
            p.MetricName,
            p.Namespace,
            p.Statistic ?? p.ExtendedStatistic,
            p.Threshold,
            p.ComparisonOperator,
            p.EvaluationPeriods,
            p.TreatMissingData,
          ]);
        })
        .sort();
    expect(alarms(nestedResources)).toEqual(alarms(single));
    // Actions per role (by the role's description, which names the function).
    const actions = (resources: Record<string, CfnResource>) => {
      const byRole: Record<string, string[]> = {};
      const entries = Object.entries(resources);
      for (const [key, r] of entries) {
        if (r.Type !== 'AWS::IAM::Policy') continue;
        const stackPath = key.slice(0, key.indexOf('#'));
        for (const role of props(r).Roles as { Ref: string }[]) {
          const description = props(resources[`${stackPath}#${role.Ref}`]).Description as string;
          const statements = (props(r).PolicyDocument as { Statement: { Action: string | string[] }[] })
            .Statement;
          byRole[description] = statements
            .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
            .sort();
        }
      }
      return byRole;
    };
    const singleActions = actions(single);
    // Every function's role, and the outbox relay's.
    expect(Object.keys(singleActions)).toHaveLength(Object.keys(nested.service.functions).length + 1);
    expect(actions(nestedResources)).toEqual(singleActions);
  });

  it('passes cdk-nag AwsSolutions with the same acknowledgements', () => {
    expect(violations).toEqual([]);
    expect(() => app.synth()).not.toThrow();
    const acknowledged = nested.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.keys(m.data as Record<string, string>)),
      );
    expect(acknowledged.filter((a) => a.includes('IAM5'))).toHaveLength(9);
    expect(acknowledged.filter((a) => a.includes('SQS3'))).toHaveLength(5);
    expect(acknowledged.filter((a) => a.includes('APIG4'))).toHaveLength(1);
  });

  it('cdk-nag looks into nested stacks (negative control)', async () => {
    const control = newApp(await cdkJsonContext());
    const stack = new ServiceStack(control, 'OrdersService', { layout: 'nested' });
    const inner = nestedStackOf(stack.service.fn('createOrder'));
    new Queue(inner ?? stack, 'NoDlqNoSsl');
    const found = new AwsSolutionsChecks().validateScope(stack).violations;
    expect(found.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
    expect(found.flatMap((v) => v.violatingResources.map((r) => r.constructPath))).toContain(
      `${inner?.node.path}/NoDlqNoSsl/Resource`,
    );
  });

  it('keeps the stage after the routes whose throttling it sets', () => {
    const stage = Object.values(nestedTemplates[0]?.template.Resources ?? {}).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Stage',
    );
    const throttled = contract.routes.filter((r) => r.throttling);
    expect(throttled.length).toBeGreaterThan(0);
    const dependsOn = (stage?.DependsOn ?? []) as string[];
    for (const route of throttled) {
      const stack = nestedStackOf(nested.service.fn(route.operationId));
      const resource = stack?.nestedStackResource;
      expect(dependsOn, route.operationId).toContain(resource ? nested.getLogicalId(resource) : undefined);
    }
  });

  it("says to use layout: 'nested' when a single stack exceeds the resource limit", async () => {
    // The example has ~100 resources: a limit of 50 stands in for CloudFormation's 500.
    const limited = newApp({ ...(await cdkJsonContext()), '@aws-cdk/core:stackResourceLimit': 50 });
    new ServiceStack(limited, 'OrdersService');
    expect(() => limited.synth()).toThrow(/more than the 50 CloudFormation allows.*layout: 'nested'/s);
    const nestedLimited = newApp({ ...(await cdkJsonContext()), '@aws-cdk/core:stackResourceLimit': 50 });
    new ServiceStack(nestedLimited, 'OrdersService', { layout: 'nested' });
    expect(() => nestedLimited.synth()).not.toThrow();
  });

  it('stays within CloudFormation limits per stack', () => {
    for (const { path, template } of nestedTemplates) {
      expect(Object.keys(template.Resources).length, path).toBeLessThanOrEqual(500);
      expect(Object.keys(template.Parameters ?? {}).length, path).toBeLessThanOrEqual(200);
    }
  });
});
