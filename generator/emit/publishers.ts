import type { ContractModel, EventType } from '../model/contract.js';
import { toTypeName } from '../model/naming.js';
import { type GeneratedFile, header, jsDoc, jsDocLine, literal } from './generated-file.js';

/**
 * `service.ts`: the service's name, metrics namespace, default bus and the one set of Powertools
 * logger/metrics/tracer every handler of this service shares.
 */
export function emitService(model: ContractModel): GeneratedFile {
  const content = [
    header(model),
    "import { createObservability } from './runtime/observability.js';",
    '',
    `/** The service name on logs, metrics and traces (\`POWERTOOLS_SERVICE_NAME\` overrides it). */`,
    `export const serviceName = ${literal(model.service.name)};`,
    '',
    '/** CloudWatch namespace of the custom metrics (`POWERTOOLS_METRICS_NAMESPACE` overrides it). */',
    `export const metricsNamespace = ${literal(toTypeName(model.service.title))};`,
    '',
    '/** The EventBridge bus events are published to, unless `EVENT_BUS_NAME` says otherwise. */',
    `export const defaultEventBusName = ${literal(model.eventBusName ?? 'default')};`,
    '',
    '/** Logger, metrics and tracer of the running function (one set per Lambda execution environment). */',
    'export const observability = createObservability({ serviceName, namespace: metricsNamespace });',
    '',
  ].join('\n');
  return { path: 'service.ts', content };
}

/** Events the service publishes: those of `send` operations and those HTTP operations emit. */
export function publishedEvents(model: ContractModel): EventType[] {
  const names = new Set<string>();
  for (const op of model.eventOperations) if (op.action === 'send') for (const e of op.events) names.add(e);
  for (const op of model.httpOperations) for (const e of op.emits) names.add(e);
  return model.events.filter((e) => names.has(e.names.payload));
}

/**
 * Whether the service has functions (HTTP handlers, consumers) or publishes events: then it gets the
 * runtime, the outbox relay and the CDK app.
 */
export function needsRuntime(model: ContractModel): boolean {
  return model.httpOperations.length > 0 || model.consumers.length > 0 || publishedEvents(model).length > 0;
}

/**
 * `publishers.ts`: one typed method per published event (`orderPlaced(data, metadata)`), each
 * validating before sending, on top of the runtime's batching, size checks and retries.
 */
export function emitPublishers(model: ContractModel): GeneratedFile | undefined {
  const events = publishedEvents(model);
  if (events.length === 0) return undefined;
  const modelTypes = new Set<string>();
  for (const e of events) {
    modelTypes.add(e.names.payload);
    if (e.names.metadata) modelTypes.add(e.names.metadata);
  }
  const methods = events.map((e) => publisherMethod(model, e));
  const content = [
    header(model),
    `import type { ${[...modelTypes].sort().join(', ')} } from './events/models.js';`,
    `import { ${events.map((e) => `validate${e.names.detail}`).join(', ')} } from './validators/events.js';`,
    "import { EventOutbox, type OutboxOptions, type OutboxPut } from './runtime/outbox.js';",
    "import { EventPublisher, type PublishedEventDefinition, type PublisherOptions, type PublishResult } from './runtime/publisher.js';",
    "import { defaultEventBusName } from './service.js';",
    '',
    "export type { OutboxOptions, OutboxPut, OutboxRecord } from './runtime/outbox.js';",
    "export type { FailedEvent, PublishedEvent, PublisherOptions, PublishResult } from './runtime/publisher.js';",
    "export { EventsNotPublishedError, EventTooLargeError, EventValidationError } from './runtime/publisher.js';",
    '',
    '/** Per-event options of a publisher or outbox call. */',
    'export interface EventOptions {',
    '  /**',
    "   * The producer's id of the event (`detail.eventId`; default a new UUID). Derive it from the",
    '   * business fact when a retry of the whole operation may publish the fact again.',
    '   */',
    '  readonly eventId?: string;',
    '}',
    '',
    '/**',
    ' * Event metadata as a publisher takes it: the correlation id may be left out; the publisher',
    " * fills in the one it was created with (the HTTP request's, in generated HTTP handlers).",
    ' */',
    'export type PublishMetadata<TMetadata, TCorrelationKey extends string> = Omit<TMetadata, TCorrelationKey> &',
    '  Partial<Pick<TMetadata, Extract<keyof TMetadata, TCorrelationKey>>>;',
    '',
    '/** One event of a mixed batch for `publishAll`. */',
    `export type OutgoingEvent =${events.map((e) => `\n  | { readonly typeName: ${literal(e.names.payload)}; readonly data: ${e.names.payload}; readonly metadata${metadataParam(model, e).optional ? '?' : ''}: ${metadataParam(model, e).type}; readonly eventId?: string }`).join('')};`,
    '',
    '/** Typed publishers of every event this service sends. */',
    'export interface Publishers {',
    methods.map((m) => m.signature).join('\n'),
    '  /** Publishes several events, of any types, in as few PutEvents calls as the limits allow (10 entries, 256 KB). */',
    '  publishAll(events: readonly OutgoingEvent[]): Promise<PublishResult>;',
    '}',
    '',
    '/**',
    ' * Outbox rows of every event this service sends: put them in the DynamoDB transaction that stores',
    ' * the business change (`TransactWriteCommand` of `@aws-sdk/lib-dynamodb`), and the outbox relay',
    ' * publishes them: the event goes out if and only if the write happened. Each row is validated',
    ' * when it is made (an invalid or oversized event throws before anything is written).',
    ' */',
    'export interface Outbox {',
    methods.map((m) => m.outboxSignature).join('\n'),
    '  /** Rows of several events, of any types, for one transaction (at most 100 items in all). */',
    '  entries(events: readonly OutgoingEvent[]): OutboxPut[];',
    '}',
    '',
    events.map((e) => definitionConst(e)).join('\n'),
    '/** What the publishers need to know of each event type. */',
    'export const publishedEventDefinitions: readonly PublishedEventDefinition[] = [',
    events.map((e) => `  ${definitionName(e)},`).join('\n'),
    '];',
    '',
    '/**',
    ' * Creates the publishers. Each call validates every detail first (nothing is sent when one is',
    ' * invalid or too large), then sends, retries the entries EventBridge failed, and resolves with',
    ' * what was published and what still failed.',
    ' */',
    'export function createPublishers(options: PublisherOptions = {}): Publishers {',
    '  const publisher = new EventPublisher(publishedEventDefinitions, defaultEventBusName, options);',
    '  return {',
    methods.map((m) => m.implementation).join('\n'),
    '    publishAll: (events) => publisher.publish(events),',
    '  };',
    '}',
    '',
    '/** Creates the outbox rows maker (table from `OUTBOX_TABLE_NAME` unless `tableName` is given). */',
    'export function createOutbox(options: OutboxOptions = {}): Outbox {',
    '  const outbox = new EventOutbox(publishedEventDefinitions, defaultEventBusName, options);',
    '  return {',
    methods.map((m) => m.outboxImplementation).join('\n'),
    '    entries: (events) => events.map((event, index) => outbox.entry(event, index)),',
    '  };',
    '}',
    '',
  ].join('\n');
  return { path: 'publishers.ts', content };
}

/** The metadata parameter: optional when nothing but the correlation id is required. */
export function metadataParam(model: ContractModel, event: EventType): { type: string; optional: boolean } {
  const key = correlationKey(event);
  if (!event.names.metadata) return { type: 'Readonly<Record<string, unknown>>', optional: true };
  const schema = model.schemas.find((s) => s.name === event.names.metadata)?.schema;
  const required =
    typeof schema === 'object' && Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  const optional = required.every((name) => name === key);
  const type = key ? `PublishMetadata<${event.names.metadata}, ${literal(key)}>` : event.names.metadata;
  return { type, optional };
}

/** The metadata property holding the correlation id, when it is `detail.metadata.<key>`. */
function correlationKey(event: EventType): string | undefined {
  const path = event.correlationIdPath;
  return path && path.length === 2 && path[0] === 'metadata' ? path[1] : undefined;
}

interface PublisherMethod {
  readonly signature: string;
  readonly implementation: string;
  readonly outboxSignature: string;
  readonly outboxImplementation: string;
}

function publisherMethod(model: ContractModel, e: EventType): PublisherMethod {
  const { type, optional } = metadataParam(model, e);
  const doc = jsDoc(
    [
      `Publishes ${e.messageName} (source ${literal(e.source)}, detail-type ${literal(e.detailType)}).`,
      e.summary,
    ],
    '  ',
  );
  const outboxDoc = jsDoc(
    [
      `The outbox row of ${e.messageName} (source ${literal(e.source)}, detail-type ${literal(e.detailType)}).`,
    ],
    '  ',
  );
  // A required metadata parameter cannot be followed by an optional one unless it is required too.
  const params = `data: ${e.names.payload}, metadata${optional ? '?' : ''}: ${type}, options?: EventOptions`;
  return {
    signature: `${doc}  ${e.names.value}(${params}): Promise<PublishResult>;`,
    implementation: `    ${e.names.value}: ${publishArrow(e)},`,
    outboxSignature: `${outboxDoc}  ${e.names.value}(${params}): OutboxPut;`,
    outboxImplementation: `    ${e.names.value}: ${outboxArrow(e)},`,
  };
}

/** The publisher method of one event, on an `EventPublisher` named `publisher`. */
export function publishArrow(e: EventType): string {
  return `(data, metadata, options) => publisher.publish([{ typeName: ${literal(e.names.payload)}, data, metadata, ...options }])`;
}

/** The outbox method of one event, on an `EventOutbox` named `outbox`. */
export function outboxArrow(e: EventType): string {
  return `(data, metadata, options) => outbox.entry({ typeName: ${literal(e.names.payload)}, data, metadata, ...options })`;
}

/**
 * The exported definition of one published event (`orderPlacedDefinition`): one constant per event,
 * so that a function using some of them (an HTTP handler, its `x-emits`) keeps only their validators.
 */
export function definitionName(e: EventType): string {
  return `${e.names.value}Definition`;
}

function definitionConst(e: EventType): string {
  const path = e.correlationIdPath ? `[${e.correlationIdPath.map(literal).join(', ')}]` : 'null';
  return [
    jsDocLine(`What the publishers need to know of ${e.messageName}.`),
    `export const ${definitionName(e)}: PublishedEventDefinition = {`,
    `  typeName: ${literal(e.names.payload)},`,
    `  source: ${literal(e.source)},`,
    `  detailType: ${literal(e.detailType)},`,
    `  validateDetail: validate${e.names.detail},`,
    `  correlationIdPath: ${path},`,
    `  schemaVersion: ${e.registryVersion ?? 'null'},`,
    '};',
    '',
  ].join('\n');
}

/**
 * `outbox-relay.ts`: the Lambda entry point of the outbox relay (DynamoDB stream → EventBridge), for
 * services whose HTTP operations emit events. evtgen owns it: there is nothing to write in it.
 */
export function emitOutboxRelay(model: ContractModel): GeneratedFile | undefined {
  if (!model.httpOperations.some((op) => op.emits.length > 0)) return undefined;
  const content = [
    header(model),
    "import { createOutboxRelay } from './runtime/outbox-relay.js';",
    "import { defaultEventBusName, observability } from './service.js';",
    '',
    '/**',
    " * The outbox relay (Lambda, on the outbox table's DynamoDB stream): publishes every new outbox row",
    " * to EventBridge with the publisher's retries; what still fails is retried by Lambda from that row",
    ' * and then dead-lettered. Deployed by the generated CDK construct.',
    ' */',
    'export const handler = createOutboxRelay(observability, defaultEventBusName);',
    '',
  ].join('\n');
  return { path: 'outbox-relay.ts', content };
}
