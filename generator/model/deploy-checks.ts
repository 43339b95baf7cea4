/**
 * "What generates, deploys": the model checked against what AWS refuses at deploy time (rule
 * patterns, names and their lengths), so `evtgen generate` fails with a located error instead of
 * `cdk deploy` failing minutes later with AWS's error and no line number.
 */
import type { Diagnostic, SourcePosition } from '../diagnostics.js';
import { getAtPointer, joinPointer } from '../load/json-pointer.js';
import type { SpecWorkspace } from '../load/workspace.js';
import { type NameKind, nameLimits, nameProblem, schemaRegistryName } from './aws-limits.js';
import { consumerQueuePlan, consumerRulePattern, type PlannedQueue } from './consumer-resources.js';
import type { Consumer, ContractModel, EventType, SourceRef } from './contract.js';
import { checkEventPattern } from './event-pattern.js';

/** Where a value sits: the origin's file, a pointer in it, and its position. */
type At = Pick<Diagnostic, 'file' | 'pointer' | 'position'>;

export function checkDeployLimits(model: ContractModel, workspace: SpecWorkspace): Diagnostic[] {
  const at = (origin: SourceRef, pointer: string): At => {
    let position: SourcePosition | undefined;
    return {
      file: origin.file,
      pointer,
      // Looked up when a diagnostic is made of it (spread), not for every name that is fine: the
      // first lookup in a YAML file builds its syntax tree (load/fast-yaml.ts).
      get position() {
        position ??= workspace.locate(origin.file, pointer) ?? origin.position;
        return position;
      },
    };
  };
  /** The first of `pointers` that holds a value in the origin's file, else the origin itself. */
  const firstPresent = (origin: SourceRef, ...pointers: string[]): At => {
    const root = workspace.fileByDisplayPath(origin.file)?.value;
    const found = pointers.find((p) => getAtPointer(root, p) !== undefined);
    return at(origin, found ?? origin.pointer);
  };
  const diagnostics: Diagnostic[] = [];
  for (const event of model.events) diagnostics.push(...eventNameProblems(event, firstPresent));
  const byPayload = new Map(model.events.map((e) => [e.names.payload, e]));
  for (const consumer of model.consumers) {
    const events = consumer.events.flatMap((name) => byPayload.get(name) ?? []);
    diagnostics.push(...patternProblems(consumer, events, model.events, at, firstPresent));
    if (consumer.delivery === 'queue') diagnostics.push(...queueProblems(consumer, firstPresent));
  }
  diagnostics.push(...serviceNameProblems(model, firstPresent));
  return diagnostics;
}

type Locator = (origin: SourceRef, ...pointers: string[]) => At;

function nameError(kind: NameKind, name: string, where: At, subject: string, hint: string): Diagnostic[] {
  const problem = nameProblem(kind, name);
  if (problem === undefined) return [];
  return [
    {
      severity: 'error',
      code: 'aws-name-invalid',
      message: `${subject}: ${problem} AWS refuses it at deploy time.`,
      ...where,
      hint: `${hint} (limit: ${nameLimits[kind].source}).`,
    },
  ];
}

function eventNameProblems(event: EventType, locate: Locator): Diagnostic[] {
  const eb = (key: string) => joinPointer(event.origin.pointer, 'x-eventbridge', key);
  const subject = `Message ${event.messageName}`;
  const source = locate(event.origin, eb('source'));
  // A detail-type defaults to the message's name: point at whichever the spec writes.
  const detailType = locate(event.origin, eb('detailType'), joinPointer(event.origin.pointer, 'name'));
  return [
    ...nameError(
      'eventSource',
      event.source,
      source,
      `${subject}'s source`,
      'Set x-eventbridge.source on the message (or info.x-eventbridge.source) to a shorter name such as "shop.orders"',
    ),
    ...nameError(
      'detailType',
      event.detailType,
      detailType,
      `${subject}'s detail-type`,
      'Set x-eventbridge.detailType on the message to a name of at most 128 characters',
    ),
    ...nameError(
      'schemaName',
      `${event.source}@${event.detailType}`,
      detailType,
      `${subject}'s Schema Registry schema (named {source}@{detail-type})`,
      'Shorten the source or the detail-type (x-eventbridge on the message)',
    ),
  ];
}

function serviceNameProblems(model: ContractModel, locate: Locator): Diagnostic[] {
  const doc = model.documents.find((d) => d.kind === 'asyncapi');
  if (!doc || model.events.length === 0) return [];
  const origin: SourceRef = { file: doc.file, pointer: '', position: { line: 1, column: 1 } };
  const busName = model.eventBusName ?? `${model.service.name}-bus`;
  return [
    ...nameError(
      'eventBusName',
      busName,
      locate(origin, '/info/x-eventbridge/eventBusName', '/info/x-eventbridge/source', '/info/title'),
      'The event bus',
      'Set info.x-eventbridge.eventBusName to a shorter name of letters, digits, ".", "_" and "-"',
    ),
    ...nameError(
      'registryName',
      schemaRegistryName(model.service.name),
      locate(origin, '/info/title'),
      `The Schema Registry registry (named after the service, from info.title)`,
      'Shorten info.title: the registry is named after its kebab-cased form',
    ),
  ];
}

function patternProblems(
  consumer: Consumer,
  events: readonly EventType[],
  allEvents: readonly EventType[],
  at: (origin: SourceRef, pointer: string) => At,
  locate: Locator,
): Diagnostic[] {
  const pattern = consumerRulePattern(consumer, events, allEvents);
  const settings = joinPointer(consumer.origin.pointer, 'x-consumer');
  const filter = joinPointer(settings, 'filter');
  return checkEventPattern(pattern).map((problem) => {
    // The filter sits under `detail`; anything else (source, detail-type, the length) is the rule's.
    const inFilter = consumer.filter !== undefined && problem.pointer.startsWith('/detail');
    const where = inFilter
      ? at(consumer.origin, filter + problem.pointer.slice('/detail'.length))
      : locate(consumer.origin, filter, settings);
    return {
      severity: 'error' as const,
      code: 'event-pattern-invalid',
      message: `The EventBridge rule of ${consumer.operationId} (consumer ${consumer.name}): Event pattern is not valid. Reason: ${problem.reason}`,
      ...where,
      hint: inFilter
        ? 'Write x-consumer.filter in EventBridge pattern syntax: each value to match in a non-empty array; each matcher an object with one lower-case key, e.g. [{prefix: "EU-"}], [{numeric: [">", 0, "<=", 100]}], [{exists: true}] (docs/deploy-checks.md).'
        : 'Shorten the filter or split the consumer: AWS counts the whole pattern (source, detail-type and filter).',
    };
  });
}

function queueProblems(consumer: Consumer, locate: Locator): Diagnostic[] {
  const plan = consumerQueuePlan(consumer);
  const queues = joinPointer(consumer.origin.pointer, 'bindings', 'sqs', 'queues');
  const nameAt = (queue: PlannedQueue) =>
    locate(consumer.origin, joinPointer(queues, queue.bindingIndex ?? 0, 'name'), queues);
  const diagnostics: Diagnostic[] = [];
  for (const queue of [plan.queue, plan.deadLetterQueue, plan.targetDeadLetterQueue]) {
    if (!queue) continue;
    const where = nameAt(queue);
    if (!queue.fifo && queue.declared?.endsWith('.fifo')) {
      diagnostics.push({
        severity: 'error',
        code: 'aws-name-invalid',
        message: `The SQS queue name ${JSON.stringify(queue.name)} ends with ".fifo", which SQS reserves for FIFO queues, but fifoQueue is not true.`,
        ...where,
        hint: 'Set fifoQueue: true on this queue, or drop ".fifo" from its name.',
      });
      continue;
    }
    diagnostics.push(
      ...nameError(
        queue.fifo ? 'fifoQueueName' : 'queueName',
        queue.name,
        where,
        `Consumer ${consumer.name}'s queue (${queue.origin})`,
        `Shorten the queue name in the sqs binding: evtgen adds ".fifo" to FIFO queues and derives "-dlq" and "-target-dlq" queues from it, each within 80 characters`,
      ),
    );
  }
  if (plan.fifo && plan.deadLetterQueue && !plan.deadLetterQueue.fifo) {
    diagnostics.push({
      severity: 'error',
      code: 'sqs-fifo-mismatch',
      message: `Consumer ${consumer.name}: the dead-letter queue ${JSON.stringify(plan.deadLetterQueue.name)} of the FIFO queue ${JSON.stringify(plan.queue?.name)} is a standard queue; SQS requires the dead-letter queue of a FIFO queue to be FIFO too.`,
      ...locate(
        consumer.origin,
        joinPointer(queues, plan.deadLetterQueue.bindingIndex ?? 0, 'fifoQueue'),
        joinPointer(queues, plan.deadLetterQueue.bindingIndex ?? 0),
      ),
      hint: 'Set fifoQueue: true on the dead-letter queue.',
    });
  }
  return diagnostics;
}
