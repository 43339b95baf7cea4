/**
 * `evtgen dev` runs the nested layout like the single one: nested templates are flattened into one
 * (nested ids behind their stack's, parameters replaced by what the parent passes, the parent's
 * `Outputs.X` by the nested value). Hand-written templates for the rules, then the example's CDK app
 * switched to `layout: 'nested'` gives the same plan as the single layout, up to names.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenNestedStacks } from '../../generator/dev/nested.js';
import type { DevPlan } from '../../generator/dev/plan.js';
import { type SynthesizedStack, synthesizeForDev } from '../../generator/dev/synth.js';
import type { CfnTemplate } from '../../generator/dev/template.js';
import { planFromTemplate } from '../../generator/dev/template-plan.js';
import { exampleAppCopy } from '../helpers/example-app.js';

/** `${name}` as CloudFormation writes it in a Fn::Sub string. */
const v = (name: string) => `\${${name}}`;

const child: CfnTemplate = {
  Parameters: { BusName: { Type: 'String' }, Stage: { Type: 'String', Default: 'dev' } },
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': `${v('Stage')}-queue` } } },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'BusName' },
        EventPattern: { source: ['x'] },
        Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } }],
      },
    },
  },
  Outputs: { QueueArn: { Value: { 'Fn::GetAtt': 'Queue.Arn' } } },
};

const parent: CfnTemplate = {
  Resources: {
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'bus' } },
    Inner: {
      Type: 'AWS::CloudFormation::Stack',
      Properties: { Parameters: { BusName: { Ref: 'Bus' } }, TemplateURL: 'https://example/inner.json' },
    },
    Consumer: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': ['Inner', 'Outputs.QueueArn'] },
          maxReceiveCount: 2,
        },
        Tags: [{ Key: 'q', Value: { 'Fn::Sub': `${v('Inner.Outputs.QueueArn')}!` } }],
      },
    },
  },
};

describe('flattenNestedStacks', () => {
  it('puts nested resources behind their stack id, passing parameters and outputs', () => {
    const flat = flattenNestedStacks(parent, (id) => {
      expect(id).toBe('Inner');
      return child;
    });
    expect(Object.keys(flat.Resources)).toEqual(['Bus', 'Inner/Queue', 'Inner/Rule', 'Consumer']);
    expect(flat.Resources['Inner/Rule']?.Properties).toEqual({
      EventBusName: { Ref: 'Bus' },
      EventPattern: { source: ['x'] },
      Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Inner/Queue', 'Arn'] } }],
    });
    // A parameter inside Fn::Sub becomes a variable with the value the parent passes (or the default).
    expect(flat.Resources['Inner/Queue']?.Properties).toEqual({
      QueueName: { 'Fn::Sub': [`${v('Stage')}-queue`, { Stage: 'dev' }] },
    });
    expect(flat.Resources.Consumer?.Properties).toEqual({
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Inner/Queue', 'Arn'] }, maxReceiveCount: 2 },
      Tags: [
        {
          Key: 'q',
          Value: {
            'Fn::Sub': [
              `${v('Inner.Outputs.QueueArn')}!`,
              { 'Inner.Outputs.QueueArn': { 'Fn::GetAtt': ['Inner/Queue', 'Arn'] } },
            ],
          },
        },
      ],
    });
    const plan = planFromTemplate(flat, 'P');
    expect(plan.rules[0]).toMatchObject({
      bus: 'Bus',
      targets: [{ kind: 'queue', resource: 'Inner/Queue' }],
    });
    expect(plan.queues.map((q) => q.queueName)).toEqual(['dev-queue', 'P-Consumer']);
  });

  it('flattens stacks nested in nested stacks', () => {
    const middle: CfnTemplate = {
      Parameters: { BusName: { Type: 'String' } },
      Resources: {
        Deeper: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { Parameters: { BusName: { Ref: 'BusName' } } },
        },
      },
      Outputs: { QueueArn: { Value: { 'Fn::GetAtt': ['Deeper', 'Outputs.QueueArn'] } } },
    };
    const flat = flattenNestedStacks(parent, (id) => (id === 'Inner' ? middle : child));
    expect(Object.keys(flat.Resources)).toEqual([
      'Bus',
      'Inner/Deeper/Queue',
      'Inner/Deeper/Rule',
      'Consumer',
    ]);
    expect(flat.Resources['Inner/Deeper/Rule']?.Properties?.EventBusName).toEqual({ Ref: 'Bus' });
    expect(flat.Resources.Consumer?.Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['Inner/Deeper/Queue', 'Arn'] },
      maxReceiveCount: 2,
    });
  });

  it('names what it cannot flatten', () => {
    const noParameter = {
      ...parent,
      Resources: { ...parent.Resources, Inner: { Type: 'AWS::CloudFormation::Stack' } },
    };
    expect(() => flattenNestedStacks(noParameter, () => child)).toThrow(
      "Inner (AWS::CloudFormation::Stack): the nested template's parameter BusName has no value",
    );
    expect(() =>
      flattenNestedStacks(parent, () => ({ ...child, Conditions: { IsProd: { 'Fn::Equals': ['a', 'b'] } } })),
    ).toThrow(/Inner \(AWS::CloudFormation::Stack\): its template has Conditions/);
    const missingOutput = {
      Resources: {
        ...parent.Resources,
        Consumer: { Type: 'AWS::SQS::Queue', Properties: { X: { 'Fn::GetAtt': ['Inner', 'Outputs.Nope'] } } },
      },
    };
    expect(() => flattenNestedStacks(missingOutput, () => child)).toThrow(
      'Fn::GetAtt Inner.Outputs.Nope: the nested template has no such output',
    );
  });
});

describe("the example with layout: 'nested'", () => {
  const dirs: string[] = [];
  let nested: SynthesizedStack;
  let single: DevPlan;
  let plan: DevPlan;

  beforeAll(async () => {
    const [nestedApp, singleApp, nestedOut, singleOut] = await Promise.all([
      exampleAppCopy('dev-nested-', 'nested'),
      exampleAppCopy('dev-single-'),
      mkdtemp(join(tmpdir(), 'evtgen-dev-nested-')),
      mkdtemp(join(tmpdir(), 'evtgen-dev-single-')),
    ]);
    dirs.push(nestedApp, singleApp, nestedOut, singleOut);
    const [n, s] = await Promise.all([
      synthesizeForDev(nestedApp, nestedOut),
      synthesizeForDev(singleApp, singleOut),
    ]);
    nested = n;
    plan = planFromTemplate(n.template, n.stackName);
    single = planFromTemplate(s.template, s.stackName);
  }, 180_000);

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('loads every nested template of the assembly', () => {
    expect(nested.nestedTemplatePaths.length).toBeGreaterThanOrEqual(7);
    expect(Object.values(nested.template.Resources).map((r) => r.Type)).not.toContain(
      'AWS::CloudFormation::Stack',
    );
  });

  it('plans what the single layout plans', () => {
    const byId = (p: DevPlan) =>
      new Map([...p.functions, ...p.queues, ...p.tables, ...p.buses].map((r) => [r.logicalId, r]));
    const shape = (p: DevPlan) => {
      const ids = byId(p);
      const name = (id: string | undefined) => {
        const r = id === undefined ? undefined : ids.get(id);
        if (!r) return id;
        if ('entry' in r) return r.name;
        if ('queueName' in r) return r.queueName.startsWith(p.stackName) ? 'derived queue' : r.queueName;
        return 'tableName' in r ? r.keySchema[0]?.AttributeName : r.busName;
      };
      return {
        functions: p.functions
          .map((f) => [f.name, f.entry, f.timeoutSeconds, Object.keys(f.environment).sort()])
          .sort(),
        queues: p.queues
          .map((q) => [name(q.logicalId), q.attributes, name(q.redrive?.deadLetterQueue)])
          .sort(),
        rules: p.rules
          .map((r) => [
            name(r.bus),
            r.eventPattern,
            r.targets.map((t) => [t.kind, name(t.resource), name(t.deadLetterQueue)]),
          ])
          .sort(),
        queueSources: p.queueSources.map((s) => [name(s.function), name(s.queue), s.batchSize]).sort(),
        streamSources: p.streamSources.map((s) => [name(s.function), name(s.table), s.filterPatterns]),
        invoke: p.asyncInvokeConfigs.map((c) => [
          name(c.function),
          c.maximumRetryAttempts,
          name(c.onFailureQueue),
        ]),
        routes: p.routes.map((r) => [r.routeKey, name(r.function), r.authorization]).sort(),
        ignored: p.ignoredTypes,
      };
    };
    expect(shape(plan)).toEqual(shape(single));
    expect(plan.functions.map((f) => f.logicalId)).toContainEqual(
      expect.stringMatching(/NestedStackResource[0-9A-F]+\/HandlerFunction/),
    );
  });

  it("refers nested functions' environments to the parent's resources", () => {
    const fulfilment = plan.functions.find((f) => f.name === 'fulfilment');
    const orders = plan.tables.find((t) => t.logicalId.startsWith('OrdersTable'));
    expect(fulfilment?.environment.ORDERS_TABLE_NAME).toEqual({ Ref: orders?.logicalId });
    expect(fulfilment?.environment.DEAD_LETTER_QUEUE_URL).toEqual({
      Ref: plan.queues.find((q) => q.queueName === 'orders-fulfilment-dlq')?.logicalId,
    });
  });
});
