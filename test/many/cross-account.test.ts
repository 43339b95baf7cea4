/**
 * Events across AWS accounts: the shipping service (account 222222222222) receives OrderPlaced from
 * the orders bus in account 111111111111. An EventBridge rule lives in its bus's account, so the
 * consumer's rule goes on its own bus, which lets the producer's account put the producer's source;
 * the consumer's reads record names its bus (`forwardTo`), and the producer's generate adds a rule
 * forwarding OrderPlaced there. The CDK side is synthesized in-process (bundling skipped: logical
 * ids, policies and properties do not depend on it) with cdk-nag; the registry side runs the CLI on
 * copies of both projects.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { contract as shippingContract } from '../../examples/shipping/generated/cdk/contract.js';
import { EvtgenService } from '../../examples/shipping/generated/cdk/service.js';
import { contract as ordersContract } from '../../generated/cdk/contract.js';
import { EvtgenService as OrdersService } from '../../generated/cdk/service.js';
import { cdkJsonContext, newApp, ofType, refId, synthesized } from '../cdk/synth.js';
import { repoRoot, runCli, tempProject } from '../helpers/project.js';

const producerAccount = '111111111111';
const consumerAccount = '222222222222';
const ordersBusArn = `arn:aws:events:eu-west-1:${producerAccount}:event-bus/orders-bus`;
const shippingBusArn = `arn:aws:events:eu-west-1:${consumerAccount}:event-bus/shipping-bus`;

/** The shipping stack in `account` (undefined: environment-agnostic), its channel naming the orders bus by ARN. */
function shippingStack(account: string | undefined) {
  const app = newApp({});
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'ShippingService', account ? { env: { account, region: 'eu-west-1' } } : {});
  const contract = {
    ...shippingContract,
    consumers: shippingContract.consumers.map((c) => ({
      ...c,
      bus: { name: 'orders-bus', arn: ordersBusArn },
    })),
  };
  new EvtgenService(stack, 'Service', contract, {
    handlersDir: join(repoRoot, 'examples', 'shipping', 'app', 'handlers'),
  });
  return { ...synthesized(app, stack), nag: new AwsSolutionsChecks().validateScope(stack) };
}

/** The one rule of a template (the consumer's), with its properties. */
function onlyRule(resources: Parameters<typeof ofType>[0]): { Properties: Record<string, unknown> } {
  const rules = ofType(resources, 'AWS::Events::Rule');
  expect(rules).toHaveLength(1);
  return rules[0]?.[1] as { Properties: Record<string, unknown> };
}

const nagFindings = (report: ReturnType<AwsSolutionsChecks['validateScope']>) =>
  report.violations.map(
    (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );

describe('the consumer in another account than the producer', () => {
  it('puts its rule on its own bus and lets the producer account put the producer source there', () => {
    const { resources, nag } = shippingStack(consumerAccount);
    const rule = onlyRule(resources);
    expect(refId(rule.Properties.EventBusName)).toMatch(/^ServiceEventsBus/);
    expect(rule.Properties.EventPattern).toEqual({
      source: ['com.example.orders'],
      'detail-type': ['OrderPlaced'],
    });
    const policies = ofType(resources, 'AWS::Events::EventBusPolicy');
    expect(policies).toHaveLength(1);
    const statement = (policies[0]?.[1].Properties as { Statement: Record<string, unknown> } | undefined)
      ?.Statement;
    expect(statement).toMatchObject({
      Sid: `cdk-evtgen-producer-${producerAccount}`,
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'events:source': ['com.example.orders'] } },
    });
    expect(JSON.stringify(statement?.Principal)).toContain(`:iam::${producerAccount}:root`);
    expect(nagFindings(nag)).toEqual([]);
  });

  it('in the same account, or without env.account, puts the rule on the producer bus (no policy)', () => {
    for (const account of [producerAccount, undefined]) {
      const { resources } = shippingStack(account);
      const rule = onlyRule(resources);
      // Imported by ARN; in its own account CloudFormation takes the bus by name.
      expect(rule.Properties.EventBusName, String(account)).toBe('orders-bus');
      expect(ofType(resources, 'AWS::Events::EventBusPolicy')).toEqual([]);
    }
  });
});

describe('the producer forwarding to a consumer in another account', () => {
  it("adds one rule per forward on its bus: the event type to the consumer's bus, with a role and a DLQ", async () => {
    const app = newApp(await cdkJsonContext());
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'OrdersService', { env: { account: producerAccount, region: 'eu-west-1' } });
    const forward = {
      consumer: 'shipping-service',
      subject: 'com.example.orders@OrderPlaced',
      source: 'com.example.orders',
      detailType: 'OrderPlaced',
      eventBusArn: shippingBusArn,
    };
    new OrdersService(
      stack,
      'Service',
      { ...ordersContract, forwards: [forward] },
      {
        handlersDir: join(repoRoot, 'app', 'handlers'),
      },
    );
    const { resources } = synthesized(app, stack);
    const forwards = ofType(resources, 'AWS::Events::Rule').filter(([id]) => id.includes('Forward'));
    expect(forwards.map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'ServiceEventsForwardShippingServiceOrderPlaced',
    ]);
    const props = forwards[0]?.[1].Properties as Record<string, unknown>;
    expect(refId(props.EventBusName)).toMatch(/^ServiceEventsBus/);
    expect(props.EventPattern).toEqual({ source: ['com.example.orders'], 'detail-type': ['OrderPlaced'] });
    const [target] = props.Targets as Record<string, unknown>[];
    expect(target?.Arn).toBe(shippingBusArn);
    expect(refId((target?.DeadLetterConfig as { Arn: unknown } | undefined)?.Arn)).toMatch(
      /ForwardShippingServiceOrderPlacedDeadLetterQueue/,
    );
    // The role may put events on that bus and nowhere else.
    const role = refId(target?.RoleArn);
    const policy = ofType(resources, 'AWS::IAM::Policy').find(([, p]) =>
      JSON.stringify(p.Properties?.Roles).includes(role ?? '-'),
    );
    expect(JSON.stringify(policy?.[1].Properties?.PolicyDocument)).toContain(
      `"Resource":"${shippingBusArn}"`,
    );
    expect(nagFindings(new AwsSolutionsChecks().validateScope(stack))).toEqual([]);
  });
});

describe('the registry carries where to forward', () => {
  it("publish-reads with the consumer's account writes forwardTo; the producer's generate forwards there", async () => {
    const root = await tempProject();
    const shipping = join(root, 'examples', 'shipping');
    await cp(join(repoRoot, 'specs'), join(root, 'specs'), { recursive: true });
    await rm(join(root, 'specs', 'registry', 'readers'), { recursive: true, force: true });
    for (const part of ['specs', 'evtgen.config.json'])
      await cp(join(repoRoot, 'examples', 'shipping', part), join(shipping, part), { recursive: true });
    const configPath = join(shipping, 'evtgen.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    await writeFile(configPath, JSON.stringify({ ...config, account: consumerAccount }, null, 2));
    const specPath = join(shipping, 'specs', 'shipping.asyncapi.yaml');
    const spec = await readFile(specPath, 'utf8');
    await writeFile(
      specPath,
      spec.replace(
        '    x-eventbridge:\n      eventBusName: orders-bus\n',
        `    x-eventbridge:\n      eventBusArn: ${ordersBusArn}\n`,
      ),
    );

    const published = await runCli(['deps', 'publish-reads'], shipping);
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    const record = JSON.parse(
      await readFile(
        join(root, 'specs/registry/readers/shipping-service/com.example.orders@OrderPlaced.json'),
        'utf8',
      ),
    ) as { forwardTo?: string };
    expect(record.forwardTo).toBe(shippingBusArn);

    const generated = await runCli(['generate'], root);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const contract = await readFile(join(root, 'generated', 'cdk', 'contract.ts'), 'utf8');
    expect(contract).toContain(`"eventBusArn": "${shippingBusArn}"`);
    expect(contract).toContain('"consumer": "shipping-service"');

    // A forwardTo that is no bus ARN: an error at the record's field, nothing written.
    const recordPath = join(
      root,
      'specs/registry/readers/shipping-service/com.example.orders@OrderPlaced.json',
    );
    await writeFile(recordPath, (await readFile(recordPath, 'utf8')).replace(shippingBusArn, 'shipping-bus'));
    const broken = await runCli(['generate'], root);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /specs\/registry\/readers\/shipping-service\/com\.example\.orders@OrderPlaced\.json:\d+:\d+ +error +reader-forward-invalid +forwardTo of shipping-service's reads record is not an EventBridge bus ARN: "shipping-bus"\./,
    );
    expect(await readFile(join(root, 'generated', 'cdk', 'contract.ts'), 'utf8')).toBe(contract);
  });
});
