/**
 * cdk-nag's AwsSolutions pack over the example app: no unacknowledged finding, every
 * acknowledgement is one of the reviewed ones below and carries a real reason. A negative control
 * proves the pack really runs during synthesis (an insecure queue fails it).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ServiceStack } from '../../app/cdk/stack.js';
import { cdkJsonContext, newApp } from './synth.js';

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the example app, and the acknowledgements are the reviewed ones', async () => {
    const app = newApp(await cdkJsonContext());
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new ServiceStack(app, 'OrdersService');
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map(
        (v) =>
          `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`,
      ),
    ).toEqual([]);
    expect(() => app.synth()).not.toThrow();

    const acknowledged = stack.node.findAll().flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>))
        .map(([rule, reason]) => ({ path: c.node.path, rule: rule.replace(/^Annotation::/, ''), reason })),
    );
    for (const { path, reason } of acknowledged) expect(reason.length, path).toBeGreaterThan(40);
    const kinds = [
      ...new Set(
        acknowledged.map(
          ({ path, rule }) => `${rule} @ ${path.replace(/^OrdersService\/Service\/\w+\/\w+\//, '…/')}`,
        ),
      ),
    ].sort();
    expect(kinds).toEqual([
      'AwsSolutions-APIG4 @ …/GET--health',
      'AwsSolutions-IAM5[Resource::*] @ …/Handler/Role',
      'AwsSolutions-IAM5[Resource::*] @ …/Handler/Role/DefaultPolicy',
      'AwsSolutions-SQS3 @ …/DeadLetterQueue',
      'AwsSolutions-SQS3 @ …/TargetDeadLetterQueue',
    ]);
    // X-Ray on every function role (8 with the outbox relay's), the relay's ListStreams, the public
    // route once, every rule target's DLQ (4 consumers) and the relay's DLQ.
    expect(acknowledged.filter((a) => a.rule.startsWith('AwsSolutions-IAM5'))).toHaveLength(9);
    expect(acknowledged.filter((a) => a.rule === 'AwsSolutions-SQS3')).toHaveLength(5);
    const relay = acknowledged.find(
      (a) => a.path === 'OrdersService/Service/Outbox/Relay/Handler/Role/DefaultPolicy',
    );
    expect(relay?.reason).toMatch(/dynamodb:ListStreams.*no resource-level permission/);
  });

  it('fails the synthesis on an unacknowledged error (negative control)', async () => {
    const app = newApp({});
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Insecure');
    new Queue(stack, 'NoDlqNoSsl');
    expect(() => app.synth()).toThrow();
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName).sort()).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });
});
