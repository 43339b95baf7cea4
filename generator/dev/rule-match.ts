/**
 * Which consumers a published event is for: the rules of its bus whose pattern matches it. The
 * matching is the emulator's (`TestEventPattern`, the real EventBridge API; moto's server gets it
 * from evtgen's launcher, which answers with moto's own rule matcher), never a second
 * implementation here. One shortcut keeps the emulator's load low: a pattern whose `source` or
 * `detail-type` is a list of plain strings that does not contain the event's value cannot match
 * (EventBridge's exact-match semantics), and a pattern that tests nothing else needs no call once
 * its answer for a (source, detail-type) pair is known.
 */
import { type EventBridgeClient, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import type { PublishedEntry } from './aws-proxy.js';
import type { DevPlan, ProvisionedResources } from './plan.js';

export interface RuleSubscription {
  /** The consumer's contract name. */
  readonly consumer: string;
  readonly ruleName: string;
  readonly eventBusName: string;
  /** The pattern as JSON text. */
  readonly eventPattern: string;
}

/** The consumer behind each rule target of the plan, with the rule's bus and pattern. */
export function ruleSubscriptions(plan: DevPlan, resources: ProvisionedResources): RuleSubscription[] {
  const nameOf = (logicalId: string): string =>
    plan.functions.find((f) => f.logicalId === logicalId)?.name ?? logicalId;
  const subscriptions: RuleSubscription[] = [];
  for (const rule of plan.rules) {
    if (!rule.enabled) continue;
    const eventBusName = rule.bus === 'default' ? 'default' : (resources.refs[rule.bus] ?? rule.bus);
    for (const target of rule.targets) {
      const functionId =
        target.kind === 'function'
          ? target.resource
          : plan.queueSources.find((s) => s.queue === target.resource)?.function;
      if (!functionId) continue;
      subscriptions.push({
        consumer: nameOf(functionId),
        ruleName: rule.ruleName,
        eventBusName,
        eventPattern: rule.eventPattern,
      });
    }
  }
  return subscriptions.sort((a, b) => a.consumer.localeCompare(b.consumer));
}

export class RuleMatcher {
  readonly #subscriptions: readonly RuleSubscription[];
  readonly #client: EventBridgeClient;
  readonly #account: string;
  readonly #region: string;
  /** pattern + source + detail-type → verdict, for patterns that test nothing else. */
  readonly #cache = new Map<string, boolean>();

  constructor(
    subscriptions: readonly RuleSubscription[],
    client: EventBridgeClient,
    where: { readonly account: string; readonly region: string },
  ) {
    this.#subscriptions = subscriptions;
    this.#client = client;
    this.#account = where.account;
    this.#region = where.region;
  }

  /** The consumers (sorted, distinct) whose rule on the entry's bus matches it. */
  async consumersOf(entry: PublishedEntry): Promise<string[]> {
    const matched = new Set<string>();
    for (const subscription of this.#subscriptions) {
      if (!sameBus(subscription.eventBusName, entry.eventBusName)) continue;
      if (await this.#matches(subscription.eventPattern, entry)) matched.add(subscription.consumer);
    }
    return [...matched].sort();
  }

  async #matches(eventPattern: string, entry: PublishedEntry): Promise<boolean> {
    const pattern = JSON.parse(eventPattern) as Record<string, unknown>;
    if (excludes(pattern.source, entry.source) || excludes(pattern['detail-type'], entry.detailType))
      return false;
    const onlyEnvelope = Object.keys(pattern).every((k) => k === 'source' || k === 'detail-type');
    const key = JSON.stringify([eventPattern, entry.source, entry.detailType]);
    if (onlyEnvelope && this.#cache.has(key)) return this.#cache.get(key) === true;
    const event = {
      version: '0',
      id: entry.awsEventId,
      'detail-type': entry.detailType,
      source: entry.source,
      account: this.#account,
      time: new Date(entry.at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.#region,
      resources: [],
      detail: entry.detail ?? {},
    };
    const { Result } = await this.#client.send(
      new TestEventPatternCommand({ EventPattern: eventPattern, Event: JSON.stringify(event) }),
    );
    if (onlyEnvelope) this.#cache.set(key, Result === true);
    return Result === true;
  }
}

/** A bus named by name or ARN. */
function sameBus(a: string, b: string): boolean {
  const name = (x: string): string => (x.startsWith('arn:') ? (x.split('/').pop() ?? x) : x);
  return name(a) === name(b);
}

/** True when `values` is a list of plain strings that does not hold `value`: no match possible. */
function excludes(values: unknown, value: string): boolean {
  return (
    Array.isArray(values) &&
    values.length > 0 &&
    values.every((v) => typeof v === 'string') &&
    !values.includes(value)
  );
}
