/**
 * CloudFormation's intrinsics against provisioned resources: what a function's environment holds
 * locally, and the errors that name what could not be resolved (instead of an empty variable).
 */
import { describe, expect, it } from 'vitest';
import { resolveEnvironment, resolveString, resolveValue } from '../../generator/dev/intrinsics.js';
import type { DevFunction, ProvisionedResources, TemplateValue } from '../../generator/dev/plan.js';

const provisioned: ProvisionedResources = {
  region: 'eu-west-1',
  account: '123456789012',
  refs: { Queue: 'http://127.0.0.1:5000/123456789012/orders', Table: 'S-Table', 'Nested/Fn': 'S-Fn' },
  attributes: {
    Queue: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:orders', QueueName: 'orders' },
    Table: { Arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/S-Table', StreamArn: 'stream-arn' },
    'Nested/Fn': { Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:S-Fn' },
  },
  invokeQueues: {},
};
const context = { stackName: 'S', parameters: { Stage: 'dev', Zones: ['a', 'b'] } };
const resolve = (value: TemplateValue) => resolveValue(value, provisioned, context);
/** `${name}` as CloudFormation writes it in a Fn::Sub string. */
const v = (name: string) => `\${${name}}`;

describe('resolveValue', () => {
  it('resolves Ref of resources, parameters and pseudo parameters', () => {
    expect(resolve({ Ref: 'Queue' })).toBe('http://127.0.0.1:5000/123456789012/orders');
    expect(resolve({ Ref: 'Stage' })).toBe('dev');
    expect(resolve({ Ref: 'Zones' })).toEqual(['a', 'b']);
    expect(
      resolve(
        ['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::StackName', 'AWS::URLSuffix'].map(
          (Ref) => ({ Ref }),
        ),
      ),
    ).toEqual(['eu-west-1', '123456789012', 'aws', 'S', 'amazonaws.com']);
    expect(resolve({ Ref: 'AWS::StackId' })).toMatch(
      /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/S\//,
    );
  });

  it('drops AWS::NoValue from maps and lists', () => {
    expect(resolve({ Ref: 'AWS::NoValue' })).toBeUndefined();
    expect(
      resolve({ a: { Ref: 'AWS::NoValue' }, b: [1, { Ref: 'AWS::NoValue' }, { Ref: 'Table' }] }),
    ).toEqual({
      b: [1, 'S-Table'],
    });
  });

  it('resolves Fn::GetAtt in both forms, including nested-stack ids', () => {
    expect(resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toBe('stream-arn');
    expect(resolve({ 'Fn::GetAtt': 'Queue.Arn' })).toBe('arn:aws:sqs:eu-west-1:123456789012:orders');
    expect(resolve({ 'Fn::GetAtt': ['Nested/Fn', 'Arn'] })).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:S-Fn',
    );
  });

  it('resolves Fn::Join, Fn::Select, Fn::Split and Fn::Base64', () => {
    expect(resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] })).toBe('arn:aws:x');
    expect(resolve({ 'Fn::Join': [',', { Ref: 'Zones' }] })).toBe('a,b');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] })).toBe(
      'aws',
    );
    expect(resolve({ 'Fn::Select': ['0', { Ref: 'Zones' }] })).toBe('a');
    expect(resolve({ 'Fn::Base64': 'hi' })).toBe('aGk=');
  });

  it('resolves Fn::Sub in its string and list forms', () => {
    expect(
      resolve({
        'Fn::Sub': `${v('AWS::StackName')}-${v('Stage')}-${v('Queue.QueueName')}-${v('AWS::Region')}`,
      }),
    ).toBe('S-dev-orders-eu-west-1');
    expect(resolve({ 'Fn::Sub': [`${v('Name')}/${v('Table')}`, { Name: { Ref: 'Stage' } }] })).toBe(
      'dev/S-Table',
    );
    expect(resolve({ 'Fn::Sub': `${v('!Literal')} ${v('Nested/Fn.Arn')}` })).toBe(
      `${v('Literal')} arn:aws:lambda:eu-west-1:123456789012:function:S-Fn`,
    );
  });

  it('names what it cannot resolve', () => {
    const where = { ...context, where: 'the test' };
    expect(() => resolveValue({ Ref: 'Missing' }, provisioned, where)).toThrow(
      'the test: Ref Missing: no such resource was provisioned and no such parameter has a value',
    );
    expect(() => resolve({ 'Fn::GetAtt': ['Queue', 'QueueUrl'] })).toThrow(
      'Fn::GetAtt Queue.QueueUrl: Queue has no attribute QueueUrl locally (it has: Arn, QueueName)',
    );
    expect(() => resolve({ 'Fn::GetAtt': ['Other', 'Arn'] })).toThrow(
      'Fn::GetAtt Other.Arn: no such resource was provisioned',
    );
    expect(() => resolve({ 'Fn::Sub': v('Missing.Arn') })).toThrow(/Missing\.Arn/);
    expect(() => resolve({ 'Fn::If': ['IsProd', 'a', 'b'] })).toThrow(
      /Fn::If is not supported by evtgen dev/,
    );
    expect(() => resolve({ 'Fn::ImportValue': 'x' })).toThrow(/Fn::ImportValue is not supported/);
    expect(() => resolve({ 'Fn::Select': [5, ['a']] })).toThrow(/index 5 is outside the list/);
    expect(() => resolveString({ Ref: 'Zones' }, provisioned, context)).toThrow(/expected a string/);
  });
});

describe('resolveEnvironment', () => {
  const fn: DevFunction = {
    logicalId: 'Nested/Fn',
    name: 'worker',
    functionName: 'S-Fn',
    entry: 'src/worker.ts',
    handlerExport: 'handler',
    timeoutSeconds: 3,
    memorySize: 128,
    environment: {
      QUEUE_URL: { Ref: 'Queue' },
      TABLE_ARN: { 'Fn::GetAtt': ['Table', 'Arn'] },
      RETRIES: 3,
      DEBUG: true,
      GONE: { Ref: 'AWS::NoValue' },
      PLAIN: 'x',
    },
  };

  it('gives the local physical values as strings, without NoValue variables', () => {
    expect(resolveEnvironment(fn, provisioned, context)).toEqual({
      QUEUE_URL: 'http://127.0.0.1:5000/123456789012/orders',
      TABLE_ARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/S-Table',
      RETRIES: '3',
      DEBUG: 'true',
      PLAIN: 'x',
    });
  });

  it('names the variable and function it cannot resolve', () => {
    const broken = { ...fn, environment: { TOPIC_ARN: { Ref: 'AlarmsTopic' } } };
    expect(() => resolveEnvironment(broken, provisioned, context)).toThrow(
      'environment variable TOPIC_ARN of function worker (Nested/Fn): Ref AlarmsTopic: no such resource was provisioned',
    );
  });
});
