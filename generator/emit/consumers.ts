import type { Consumer, ContractModel, EventType } from '../model/contract.js';
import { toKebabName, toTypeName, toValueName } from '../model/naming.js';
import { type GeneratedFile, header, jsDoc, jsDocLine, literal } from './generated-file.js';

export interface ConsumerNames {
  /** `consumers/fulfilment.ts`, relative to the output folder. */
  readonly file: string;
  /** `fulfilmentConsumer`: wraps the user's handlers into the Lambda handler. */
  readonly factory: string;
  /** `FulfilmentHandlers`: one function per event type the consumer receives. */
  readonly handlers: string;
}

export function consumerNames(consumer: Consumer): ConsumerNames {
  return {
    file: `consumers/${toKebabName(consumer.name)}.ts`,
    factory: `${toValueName(consumer.name)}Consumer`,
    handlers: `${toTypeName(consumer.name)}Handlers`,
  };
}

/** True when the consumer's queue is FIFO (the `sqs` binding's first queue says so). */
export function isFifo(consumer: Consumer): boolean {
  return consumer.sqsQueues[0]?.fifoQueue === true;
}

/**
 * `consumers/<name>.ts`: for each `receive` operation's consumer, the handlers type (one function
 * per event type, so a new event type on the operation is a compile error until it is handled) and
 * the factory of its Lambda handler: SQS batch with partial failures, or direct EventBridge delivery.
 */
export function emitConsumers(model: ContractModel): GeneratedFile[] {
  const byName = new Map(model.events.map((e) => [e.names.payload, e]));
  return model.consumers.map((consumer) => {
    const events = consumer.events.flatMap((name) => byName.get(name) ?? []);
    return { path: consumerNames(consumer).file, content: consumerModule(model, consumer, events) };
  });
}

function consumerModule(model: ContractModel, consumer: Consumer, events: readonly EventType[]): string {
  const names = consumerNames(consumer);
  const direct = consumer.delivery === 'direct';
  const operation = model.eventOperations.find((op) => op.operationId === consumer.operationId);
  const factory = direct ? 'createEventBridgeConsumer' : 'createSqsConsumer';
  const delivery = direct
    ? 'EventBridge rule → Lambda (asynchronous invocation): a thrown error is retried by Lambda, then sent to the failure destination.'
    : `EventBridge rule → SQS${isFifo(consumer) ? ' FIFO' : ''} → Lambda: failed records are reported one by one (\`batchItemFailures\`), retried, and dead-lettered after \`maxReceiveCount\`.`;
  const lines = [
    header(model),
    `import type { ${events.map((e) => e.names.event).join(', ')} } from '../events/envelopes.js';`,
    `import { type ConsumerDefinition, type EventHandler, ${factory} } from '../runtime/consumer.js';`,
    `import { ${events.map((e) => `validate${e.names.detail}`).join(', ')} } from '../validators/events.js';`,
    "import { observability } from '../service.js';",
    '',
    "export type { ConsumerContext } from '../runtime/consumer.js';",
    '',
    jsDoc([
      `The handlers of the ${consumer.name} consumer (operation ${consumer.operationId}): one per event type it receives.`,
      'Each is called once per event (duplicates are recognised by the idempotency key) with the validated, typed event.',
    ]).trimEnd(),
    `export type ${names.handlers} = {`,
    ...events.map(
      (e) =>
        `${jsDoc([`${e.messageName}: ${e.summary ?? e.title ?? ''}`.trim()], '  ')}  readonly ${e.names.payload}: EventHandler<${e.names.event}>;`,
    ),
    '};',
    '',
    jsDocLine(`How ${consumer.name} reads its events.`),
    `export const ${toValueName(consumer.name)}Definition: ConsumerDefinition = {`,
    `  name: ${literal(consumer.name)},`,
    '  events: [',
    ...events.map((e) =>
      [
        '    {',
        `      typeName: ${literal(e.names.payload)},`,
        `      source: ${literal(e.source)},`,
        `      detailType: ${literal(e.detailType)},`,
        `      validateDetail: validate${e.names.detail},`,
        `      correlationIdPath: ${e.correlationIdPath ? `[${e.correlationIdPath.map(literal).join(', ')}]` : 'null'},`,
        '    },',
      ].join('\n'),
    ),
    '  ],',
    `  idempotencyKey: ${literal(consumer.idempotencyKey)},`,
    `  idempotencyPrefix: ${literal(`${model.service.name}.${consumer.name}`)},`,
    `  fifo: ${isFifo(consumer)},`,
    '};',
    '',
    jsDoc([
      operation?.summary,
      operation?.description,
      delivery,
      `Duplicate deliveries (same \`${consumer.idempotencyKey}\`) are skipped: needs \`IDEMPOTENCY_TABLE_NAME\`.`,
    ]).trimEnd(),
    `export function ${names.factory}(handlers: ${names.handlers}) {`,
    `  return ${factory}(${toValueName(consumer.name)}Definition, observability, handlers);`,
    '}',
    '',
  ];
  return lines.join('\n');
}
