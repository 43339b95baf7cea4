/**
 * Creates what a DevPlan declares in the emulator (moto's server) with the real AWS SDK: tables,
 * queues (dead-letter queues first), buses and rules with the template's exact patterns. Functions
 * are not created (moto needs Docker to run Lambda; `evtgen dev` runs handlers in Node), but their
 * name and ARN resolve, and a rule that targets one delivers to the function's internal invoke
 * queue. Idempotent: a second run, or a reload after a spec edit, updates what exists.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { resolveValue } from './intrinsics.js';
import { invokeQueueName } from './names.js';
import type { DevPlan, DevRule, ProvisionedResources } from './plan.js';
import { ensureQueue, queueLevels } from './provision-queues.js';
import { deleteRule, ensureBus, ensureRule, type RuleTargetInput } from './provision-rules.js';
import { ensureTable } from './provision-tables.js';

export interface ProvisionOptions {
  /** The emulator's endpoint, e.g. `http://127.0.0.1:5000`. */
  readonly endpoint: string;
  readonly region: string;
  /** The account the emulator uses (moto's default `123456789012`): function ARNs are built with it. */
  readonly account?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** What was created, updated or replaced, and settings the emulator cannot honour. */
  readonly onEvent?: (event: ProvisionEvent) => void;
}

export interface ProvisionEvent {
  readonly action: 'create' | 'update' | 'replace' | 'delete' | 'warn';
  readonly kind: 'table' | 'queue' | 'invoke-queue' | 'bus' | 'rule';
  readonly logicalId: string;
  /** The physical name. */
  readonly name: string;
  readonly message: string;
}

interface Clients {
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBClient;
  readonly events: EventBridgeClient;
}

function clients(options: ProvisionOptions): Clients {
  const config = {
    endpoint: options.endpoint,
    region: options.region,
    credentials: options.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 2,
  };
  return {
    sqs: new SQSClient(config),
    dynamo: new DynamoDBClient(config),
    events: new EventBridgeClient(config),
  };
}

/** Provisions `plan` into the emulator and returns what `Ref` and `Fn::GetAtt` resolve to. */
export async function provision(plan: DevPlan, options: ProvisionOptions): Promise<ProvisionedResources> {
  const account = options.account ?? '123456789012';
  const refs: Record<string, string> = {};
  const attributes: Record<string, Record<string, string>> = {};
  const invokeQueues: Record<string, string> = {};
  const provisioned: ProvisionedResources = {
    region: options.region,
    account,
    refs,
    attributes,
    invokeQueues,
  };
  const emit = (event: ProvisionEvent) => options.onEvent?.(event);
  const aws = clients(options);
  try {
    for (const fn of [...plan.functions, ...plan.otherFunctions]) {
      refs[fn.logicalId] = fn.functionName;
      attributes[fn.logicalId] = {
        Arn: `arn:aws:lambda:${options.region}:${account}:function:${fn.functionName}`,
      };
    }
    await Promise.all(
      plan.tables.map(async (table) => {
        const result = await ensureTable(aws.dynamo, table);
        refs[table.logicalId] = result.name;
        attributes[table.logicalId] = {
          Arn: result.arn,
          ...(result.streamArn ? { StreamArn: result.streamArn } : {}),
        };
        if (result.change)
          emit({
            action: result.change.action,
            kind: 'table',
            logicalId: table.logicalId,
            name: result.name,
            message: result.change.reason,
          });
      }),
    );
    for (const level of queueLevels(plan.queues)) {
      await Promise.all(
        level.map(async (queue) => {
          const deadLetterArn = queue.redrive ? attributes[queue.redrive.deadLetterQueue]?.Arn : undefined;
          const redrive = queue.redrive
            ? JSON.stringify({
                deadLetterTargetArn: deadLetterArn,
                maxReceiveCount: queue.redrive.maxReceiveCount,
              })
            : undefined;
          const result = await ensureQueue(aws.sqs, queue.queueName, queue.attributes, redrive);
          refs[queue.logicalId] = result.url;
          attributes[queue.logicalId] = { Arn: result.arn, QueueName: result.name, QueueUrl: result.url };
          emit({
            action: result.created ? 'create' : 'update',
            kind: 'queue',
            logicalId: queue.logicalId,
            name: result.name,
            message: result.created ? 'created' : 'attributes set',
          });
        }),
      );
    }
    const invokeArns = await provisionInvokeQueues(plan, aws.sqs, invokeQueues, emit);
    for (const bus of plan.buses) {
      const { arn, created } = await ensureBus(aws.events, bus.busName);
      refs[bus.logicalId] = bus.busName;
      attributes[bus.logicalId] = { Arn: arn, Name: bus.busName };
      if (created)
        emit({
          action: 'create',
          kind: 'bus',
          logicalId: bus.logicalId,
          name: bus.busName,
          message: bus.foreign
            ? "created: another service's bus, empty until that service runs here too (evtgen dev --service) or events are sent to it"
            : 'created',
        });
    }
    for (const rule of plan.rules) {
      const busName =
        rule.bus === 'default' ? 'default' : plan.buses.find((b) => b.logicalId === rule.bus)?.busName;
      if (busName === undefined)
        throw new Error(`Rule ${rule.logicalId}: its bus ${rule.bus} is not planned`);
      const targets = ruleTargets(rule, provisioned, invokeArns, emit);
      const { arn, existed } = await ensureRule(
        aws.events,
        rule,
        busName,
        rulePattern(rule, provisioned, plan),
        targets,
      );
      refs[rule.logicalId] = rule.ruleName;
      attributes[rule.logicalId] = { Arn: arn };
      emit({
        action: existed ? 'update' : 'create',
        kind: 'rule',
        logicalId: rule.logicalId,
        name: rule.ruleName,
        message: existed ? 'pattern and targets put again' : 'created',
      });
    }
    return provisioned;
  } finally {
    for (const client of Object.values(aws)) client.destroy();
  }
}

/**
 * One internal queue per function that a rule targets. Its visibility timeout is the function's
 * timeout plus 30 s: a message an invocation is working on does not come back meanwhile.
 */
async function provisionInvokeQueues(
  plan: DevPlan,
  sqs: SQSClient,
  invokeQueues: Record<string, string>,
  emit: (event: ProvisionEvent) => void,
): Promise<Map<string, string>> {
  const arns = new Map<string, string>();
  const targeted = new Set(
    plan.rules.flatMap((r) => r.targets.filter((t) => t.kind === 'function').map((t) => t.resource)),
  );
  for (const id of targeted) {
    const fn = plan.functions.find((f) => f.logicalId === id);
    if (!fn) throw new Error(`A rule targets function ${id}, which is not planned`);
    const name = invokeQueueName(fn.functionName);
    const result = await ensureQueue(
      sqs,
      name,
      { VisibilityTimeout: String(fn.timeoutSeconds + 30) },
      undefined,
    );
    invokeQueues[id] = result.url;
    arns.set(id, result.arn);
    if (result.created)
      emit({
        action: 'create',
        kind: 'invoke-queue',
        logicalId: id,
        name,
        message: `invoke queue of ${fn.name}`,
      });
  }
  return arns;
}

function ruleTargets(
  rule: DevRule,
  provisioned: ProvisionedResources,
  invokeArns: ReadonlyMap<string, string>,
  emit: (event: ProvisionEvent) => void,
): RuleTargetInput[] {
  return rule.targets.map((target) => {
    const arn =
      target.kind === 'function'
        ? invokeArns.get(target.resource)
        : provisioned.attributes[target.resource]?.Arn;
    if (!arn)
      throw new Error(`Rule ${rule.logicalId} target ${target.id}: ${target.resource} was not provisioned`);
    const deadLetterArn = target.deadLetterQueue
      ? provisioned.attributes[target.deadLetterQueue]?.Arn
      : undefined;
    if (target.input !== undefined || target.inputPath !== undefined || target.inputTransformer !== undefined)
      // moto delivers the whole event whatever Input/InputPath say, and an InputTransformer with an
      // InputPathsMap makes every PutEvents on the bus fail: they are not passed on.
      emit({
        action: 'warn',
        kind: 'rule',
        logicalId: rule.logicalId,
        name: rule.ruleName,
        message: `target ${target.id} has Input, InputPath or InputTransformer, which the emulator does not apply: it receives the whole event`,
      });
    return {
      id: target.id,
      arn,
      ...(deadLetterArn ? { deadLetterArn } : {}),
      ...(target.retryPolicy ? { retryPolicy: target.retryPolicy } : {}),
      ...(target.messageGroupId ? { messageGroupId: target.messageGroupId } : {}),
    };
  });
}

/** The rule's pattern: exactly the template's text, unless it holds intrinsics (then resolved). */
function rulePattern(rule: DevRule, provisioned: ProvisionedResources, plan: DevPlan): string {
  if (!/"(Ref|Fn::[A-Za-z0-9]+)"\s*:/.test(rule.eventPattern)) return rule.eventPattern;
  const where = `EventPattern of rule ${rule.logicalId}`;
  const pattern = JSON.parse(rule.eventPattern) as Parameters<typeof resolveValue>[0];
  return JSON.stringify(
    resolveValue(pattern, provisioned, { stackName: plan.stackName, parameters: plan.parameters, where }),
  );
}

/**
 * Deletes the rules of `previous` that `current` no longer has (after removing their targets), so a
 * consumer removed from the spec stops receiving events on reload. Queues and tables are kept.
 */
export async function removeStaleRules(
  previous: DevPlan,
  current: DevPlan,
  options: ProvisionOptions,
): Promise<void> {
  const busName = (plan: DevPlan, bus: string) =>
    bus === 'default' ? 'default' : (plan.buses.find((b) => b.logicalId === bus)?.busName ?? bus);
  const kept = new Set(current.rules.map((r) => `${busName(current, r.bus)}|${r.ruleName}`));
  const aws = clients(options);
  try {
    for (const rule of previous.rules) {
      const bus = busName(previous, rule.bus);
      if (kept.has(`${bus}|${rule.ruleName}`)) continue;
      if (await deleteRule(aws.events, rule.ruleName, bus))
        options.onEvent?.({
          action: 'delete',
          kind: 'rule',
          logicalId: rule.logicalId,
          name: rule.ruleName,
          message: 'no longer in the stack: deleted',
        });
    }
  } finally {
    for (const client of Object.values(aws)) client.destroy();
  }
}
