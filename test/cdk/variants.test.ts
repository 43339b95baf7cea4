/**
 * What the example does not exercise, on a fresh project made from the example specs with a FIFO
 * fulfilment queue and an IAM-authorized getOrder: `evtgen generate` scaffolds the CDK app from
 * templates/app (cdk.json, app/cdk/main.ts, app/cdk/stack.ts) next to the handler skeletons, and
 * that untouched scaffold synthesizes cdk-nag clean. The `cors` construct prop replaces the spec's
 * x-cors (test/cdk/cors.test.ts covers x-cors itself).
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { type CfnResource, cdkJsonContext, newApp, ofType, type Synthesized, synthesized } from './synth.js';
import { variantProject } from './variant-project.js';

let dir: string;
let scaffold: Synthesized;
let violations: string[];
let created: string[];

beforeAll(async () => {
  const project = await variantProject();
  dir = project.dir;
  const result = project.result;
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  created = result.skeletons.filter((s) => s.change === 'created').map((s) => s.path);

  const { ServiceStack } = (await import(
    join(dir, 'app', 'cdk', 'stack.ts')
  )) as typeof import('../../app/cdk/stack.js');
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const app = newApp(await cdkJsonContext(dir));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    scaffold = synthesized(app, new ServiceStack(app, 'OrdersService'));
    violations = new AwsSolutionsChecks()
      .validateScope(scaffold.stack)
      .violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(',')}`);
  } finally {
    process.chdir(cwd);
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const props = (r: CfnResource | undefined) => (r?.Properties ?? {}) as Record<string, unknown>;

describe('a fresh project', () => {
  it('gets the CDK app scaffold once, beside the handler skeletons, and it synthesizes cdk-nag clean', async () => {
    expect(created).toEqual(expect.arrayContaining(['cdk.json', 'app/cdk/main.ts', 'app/cdk/stack.ts']));
    expect(violations).toEqual([]);
    expect(() => scaffold.app.synth()).not.toThrow();
    // Never overwritten: a second generate keeps the user's edits.
    await writeFile(join(dir, 'app', 'cdk', 'stack.ts'), '// mine\n', 'utf8');
    const again = await generate(dir, { mode: 'write', force: true });
    expect(again.skeletons.find((s) => s.path === 'app/cdk/stack.ts')?.change).toBe('kept');
    expect(await readFile(join(dir, 'app', 'cdk', 'stack.ts'), 'utf8')).toBe('// mine\n');
  });

  it('FIFO when the binding says so: .fifo names, a message group on the rule target, no batching window', () => {
    const { resources } = scaffold;
    const fifo = ofType(resources, 'AWS::SQS::Queue').filter(([, q]) => props(q).FifoQueue === true);
    expect(fifo.map(([, q]) => props(q).QueueName).sort()).toEqual([
      'orders-fulfilment-dlq.fifo',
      'orders-fulfilment.fifo',
    ]);
    const [, rule] = ofType(resources, 'AWS::Events::Rule').find(([id]) => id.includes('Fulfilment')) as [
      string,
      CfnResource,
    ];
    const [target] = props(rule).Targets as Record<string, unknown>[];
    expect(target?.SqsParameters).toEqual({ MessageGroupId: 'fulfilment' });
    expect(target?.DeadLetterConfig).toBeDefined();
    const [, mapping] = ofType(resources, 'AWS::Lambda::EventSourceMapping').find(([id]) =>
      id.includes('Fulfilment'),
    ) as [string, CfnResource];
    expect(props(mapping).FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(props(mapping).MaximumBatchingWindowInSeconds).toBeUndefined();
  });

  it('an awsSigv4 security scheme becomes IAM authorization of the route', () => {
    const routes = ofType(scaffold.resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => props(r));
    expect(routes.find((r) => r.RouteKey === 'GET /orders/{orderId}')?.AuthorizationType).toBe('AWS_IAM');
    expect(routes.find((r) => r.RouteKey === 'POST /orders')?.AuthorizationType).toBe('JWT');
  });

  it("the cors construct prop replaces the spec's x-cors as a whole", async () => {
    const { OrdersService } = (await import(
      join(dir, 'generated', 'cdk', 'index.ts')
    )) as typeof import('../../generated/cdk/index.js');
    const app = newApp(await cdkJsonContext(dir));
    const stack = new Stack(app, 'Cors');
    new OrdersService(stack, 'Service', {
      handlersDir: join(dir, 'app', 'handlers'),
      cors: { allowOrigins: ['https://admin.example.org'], allowHeaders: ['authorization', 'content-type'] },
    });
    const { resources } = synthesized(app, stack);
    const [[, api]] = ofType(resources, 'AWS::ApiGatewayV2::Api') as [[string, CfnResource]];
    // The scaffold's own stack has the example's x-cors; the prop's has no MaxAge, methods, exposed headers.
    const [[, scaffoldApi]] = ofType(scaffold.resources, 'AWS::ApiGatewayV2::Api') as [[string, CfnResource]];
    expect(props(scaffoldApi).CorsConfiguration).toMatchObject({
      AllowOrigins: ['https://shop.example.org'],
    });
    expect(props(api).CorsConfiguration).toEqual({
      AllowOrigins: ['https://admin.example.org'],
      AllowHeaders: ['authorization', 'content-type'],
    });
  });
});
