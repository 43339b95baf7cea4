/**
 * Events across AWS accounts. An EventBridge rule lives in its bus's account, so a consumer cannot
 * put its rule on a producer's bus in another account. Both sides of AWS's pattern are built here:
 * the producer forwards each event type a consumer reads to the consumer's bus (a rule per consumer
 * and event type, from the reads records in its registry store), and the consumer's bus lets the
 * producer's account put exactly those sources; the consumer's own rule, on its own bus, then takes
 * them as it takes any event.
 */
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { type CfnRule, EventBus, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { AccountPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ForwardSpec } from './cdk-contract-types.js';

/** The account of an ARN (`arn:aws:events:eu-west-1:111111111111:event-bus/orders-bus`), if any. */
export function arnAccount(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * The producer's account when the bus (a consumer's channel `x-eventbridge.eventBusArn`) is in
 * another account than the stack's; undefined when it is the same account, or when the stack is
 * environment-agnostic (no `env.account`: the comparison cannot be made, and the rule goes on the
 * producer's bus as for the same account — docs/many-services.md).
 */
export function producerAccount(scope: Construct, bus: { readonly arn?: string }): string | undefined {
  const account = bus.arn ? arnAccount(bus.arn) : undefined;
  const own = Stack.of(scope).account;
  if (!account || Token.isUnresolved(own) || account === own) return undefined;
  return account;
}

/**
 * Lets each producer account put events of its sources on `bus`: what its forwarding rules send.
 * One statement per account, the sources in an `events:source` condition.
 */
export function allowProducers(bus: EventBus, producers: ReadonlyMap<string, ReadonlySet<string>>): void {
  for (const [account, sources] of [...producers].sort(([a], [b]) => a.localeCompare(b))) {
    bus.addToResourcePolicy(
      new PolicyStatement({
        sid: `evtgen-producer-${account}`,
        effect: Effect.ALLOW,
        principals: [new AccountPrincipal(account)],
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': [...sources].sort() } },
      }),
    );
  }
}

/**
 * One rule per forward on `bus`: the event type (source and detail-type) to the consumer's bus in its
 * account, with a role allowed to put events there only and a dead-letter queue for what EventBridge
 * could not deliver after its retries (the consumer's bus policy missing, the bus deleted).
 */
export function forwardingRules(
  scope: Construct,
  bus: IEventBus,
  forwards: readonly ForwardSpec[],
): Record<string, Rule> {
  const rules: Record<string, Rule> = {};
  for (const forward of forwards) {
    const id = `Forward${pascal(forward.consumer)}${pascal(forward.detailType)}`;
    const target = EventBus.fromEventBusArn(scope, `${id}Bus`, forward.eventBusArn);
    const deadLetterQueue = new Queue(scope, `${id}DeadLetterQueue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue: of the rule forwarding ${forward.subject} to ${forward.consumer}'s bus.`,
    });
    const rule = new Rule(scope, id, {
      eventBus: bus,
      description: `${forward.subject} to ${forward.consumer} (another account): ${forward.eventBusArn}`,
      eventPattern: { source: [forward.source], detailType: [forward.detailType] },
      targets: [new EventBusTarget(target, { deadLetterQueue })],
    });
    // The exact pattern the contract states, as for every rule of the service.
    (rule.node.defaultChild as CfnRule).eventPattern = {
      source: [forward.source],
      'detail-type': [forward.detailType],
    };
    rules[`${forward.consumer} ${forward.subject}`] = rule;
  }
  return rules;
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}
