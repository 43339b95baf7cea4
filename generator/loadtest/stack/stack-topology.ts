/**
 * Where each consumer's events go in a deployed stack, by physical name: the rule that matches them
 * (on which bus), the queue or function they are delivered to, the consumer's function, and every
 * dead-letter queue with the consumers and hops that fill it. Read from the same plan `evtgen dev`
 * runs (dev/template-plan.ts), with the names CloudFormation gave the resources.
 */
import { type DeadLetterHop, deadLetterQueues } from '../../dev/dev-status.js';
import type { DevPlan } from '../../dev/plan.js';

export interface StackConsumer {
  /** The contract's consumer name. */
  readonly name: string;
  readonly delivery: 'queue' | 'function';
  /** The consumer's Lambda function (physical name). */
  readonly functionName: string;
  /** The rules that deliver to it: `AWS/Events` metrics are per bus and rule. */
  readonly rules: readonly { readonly eventBusName: string; readonly ruleName: string }[];
  /** The queue its events wait in (queue delivery). */
  readonly queue?: { readonly url: string; readonly name: string };
}

export interface StackDeadLetterQueue {
  readonly url: string;
  readonly name: string;
  readonly consumers: readonly string[];
  readonly hops: readonly DeadLetterHop[];
}

export interface StackTopology {
  readonly stackName: string;
  readonly consumers: readonly StackConsumer[];
  readonly deadLetterQueues: readonly StackDeadLetterQueue[];
  /** The functions' Powertools metrics namespace and service (their `EventsPublished` counts). */
  readonly metrics?: { readonly namespace: string; readonly service: string };
}

/** Throws, naming the resource, when the stack lacks what the plan routes through. */
export function stackTopology(plan: DevPlan, physicalIds: Readonly<Record<string, string>>): StackTopology {
  const physical = (logicalId: string, what: string): string => {
    const id = physicalIds[logicalId];
    if (!id)
      throw new Error(
        `${plan.stackName} has no physical ${what} for ${logicalId}: is it the stack of this contract, fully deployed?`,
      );
    return id;
  };
  const nameOf = (logicalId: string): string =>
    plan.functions.find((f) => f.logicalId === logicalId)?.name ?? logicalId;
  const consumers = new Map<string, StackConsumer>();
  for (const rule of plan.rules) {
    if (!rule.enabled) continue;
    // A rule on a custom bus has the physical id `bus|rule`; on the default bus just its name.
    const [first = '', second] = physical(rule.logicalId, 'rule').split('|');
    const where =
      second === undefined
        ? { eventBusName: 'default', ruleName: first }
        : { eventBusName: first, ruleName: second };
    for (const target of rule.targets) {
      const source =
        target.kind === 'queue' ? plan.queueSources.find((s) => s.queue === target.resource) : undefined;
      const functionId = target.kind === 'function' ? target.resource : source?.function;
      if (!functionId) continue;
      const name = nameOf(functionId);
      const known = consumers.get(name);
      if (known) {
        consumers.set(name, { ...known, rules: [...known.rules, where] });
        continue;
      }
      const queueUrl = target.kind === 'queue' ? physical(target.resource, 'queue') : undefined;
      consumers.set(name, {
        name,
        delivery: target.kind,
        functionName: physical(functionId, 'function'),
        rules: [where],
        ...(queueUrl ? { queue: { url: queueUrl, name: queueNameOf(queueUrl) } } : {}),
      });
    }
  }
  const queues = deadLetterQueues(plan).map((ref): StackDeadLetterQueue => {
    const url = physical(ref.logicalId, 'dead-letter queue');
    return { url, name: queueNameOf(url), consumers: [...ref.consumers].sort(), hops: [...ref.hops].sort() };
  });
  const environment = plan.functions.map((f) => f.environment);
  const namespace = environment.map((e) => e.POWERTOOLS_METRICS_NAMESPACE).find((v) => typeof v === 'string');
  const service = environment.map((e) => e.POWERTOOLS_SERVICE_NAME).find((v) => typeof v === 'string');
  return {
    stackName: plan.stackName,
    consumers: [...consumers.values()].sort((a, b) => a.name.localeCompare(b.name)),
    deadLetterQueues: queues.sort((a, b) => a.name.localeCompare(b.name)),
    ...(typeof namespace === 'string' && typeof service === 'string'
      ? { metrics: { namespace, service } }
      : {}),
  };
}

/** The queue name of an SQS queue URL (its last path segment). */
export function queueNameOf(url: string): string {
  return url.replace(/\/+$/, '').split('/').at(-1) ?? url;
}
