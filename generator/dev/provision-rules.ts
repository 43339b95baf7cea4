/**
 * EventBridge buses and rules of the plan in the emulator. PutRule and PutTargets replace what a
 * previous run left (patterns and targets follow the spec after a reload), and targets the plan no
 * longer has are removed. A function target is delivered to the function's internal invoke queue
 * (moto cannot invoke Lambda), keeping the target's retry policy and dead-letter queue.
 */
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import type { DevRule } from './plan.js';

/** Creates the bus unless it exists (the `default` bus always does) and returns its ARN. */
export async function ensureBus(
  events: EventBridgeClient,
  name: string,
): Promise<{ arn: string; created: boolean }> {
  let created = false;
  if (name !== 'default') {
    try {
      await events.send(new CreateEventBusCommand({ Name: name }));
      created = true;
    } catch (error) {
      if ((error as Error).name !== 'ResourceAlreadyExistsException') throw error;
    }
  }
  const { Arn } = await events.send(new DescribeEventBusCommand({ Name: name }));
  if (!Arn) throw new Error(`Event bus ${name}: the emulator returned no ARN`);
  return { arn: Arn, created };
}

/** A rule target as PutTargets takes it, with the physical ARNs filled in. */
export interface RuleTargetInput {
  readonly id: string;
  readonly arn: string;
  readonly deadLetterArn?: string;
  readonly retryPolicy?: DevRule['targets'][number]['retryPolicy'];
  readonly messageGroupId?: string;
}

/**
 * Puts the rule with `pattern` and exactly `targets` on `busName`; returns the rule's ARN and
 * whether it existed. Targets of a previous run that the plan no longer has are removed.
 */
export async function ensureRule(
  events: EventBridgeClient,
  rule: DevRule,
  busName: string,
  pattern: string,
  targets: readonly RuleTargetInput[],
): Promise<{ arn: string; existed: boolean }> {
  const previous = await existingTargets(events, rule.ruleName, busName);
  const { RuleArn } = await events.send(
    new PutRuleCommand({
      Name: rule.ruleName,
      EventBusName: busName,
      EventPattern: pattern,
      State: rule.enabled ? 'ENABLED' : 'DISABLED',
    }),
  );
  const stale = (previous ?? []).filter((id) => !targets.some((t) => t.id === id));
  if (stale.length > 0)
    await events.send(new RemoveTargetsCommand({ Rule: rule.ruleName, EventBusName: busName, Ids: stale }));
  if (targets.length > 0) {
    const { FailedEntries } = await events.send(
      new PutTargetsCommand({ Rule: rule.ruleName, EventBusName: busName, Targets: targets.map(toTarget) }),
    );
    if (FailedEntries && FailedEntries.length > 0)
      throw new Error(
        `Rule ${rule.ruleName}: the emulator refused targets ${FailedEntries.map((f) => `${f.TargetId} (${f.ErrorMessage})`).join(', ')}`,
      );
  }
  if (!RuleArn) throw new Error(`Rule ${rule.ruleName}: the emulator returned no ARN`);
  return { arn: RuleArn, existed: previous !== undefined };
}

function toTarget(target: RuleTargetInput): Target {
  const retry = target.retryPolicy;
  return {
    Id: target.id,
    Arn: target.arn,
    ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
    ...(retry
      ? {
          RetryPolicy: {
            ...(retry.maximumRetryAttempts === undefined
              ? {}
              : { MaximumRetryAttempts: retry.maximumRetryAttempts }),
            ...(retry.maximumEventAgeInSeconds === undefined
              ? {}
              : { MaximumEventAgeInSeconds: retry.maximumEventAgeInSeconds }),
          },
        }
      : {}),
    ...(target.messageGroupId ? { SqsParameters: { MessageGroupId: target.messageGroupId } } : {}),
  };
}

/** The target ids of an existing rule, or undefined when there is no such rule. */
async function existingTargets(
  events: EventBridgeClient,
  ruleName: string,
  busName: string,
): Promise<string[] | undefined> {
  try {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await events.send(
        new ListTargetsByRuleCommand({ Rule: ruleName, EventBusName: busName, NextToken: token }),
      );
      ids.push(...(page.Targets ?? []).map((t) => t.Id ?? ''));
      token = page.NextToken;
    } while (token);
    return ids;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Removes a rule and its targets (a rule the plan no longer has); absent rules are fine. */
export async function deleteRule(
  events: EventBridgeClient,
  ruleName: string,
  busName: string,
): Promise<boolean> {
  const targets = await existingTargets(events, ruleName, busName);
  if (targets === undefined) return false;
  if (targets.length > 0)
    await events.send(new RemoveTargetsCommand({ Rule: ruleName, EventBusName: busName, Ids: targets }));
  await events.send(new DeleteRuleCommand({ Name: ruleName, EventBusName: busName }));
  return true;
}
