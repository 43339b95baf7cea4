import type { ContractModel, EventType } from '../model/contract.js';
import { type GeneratedFile, header, jsDoc, literal } from './generated-file.js';

/**
 * `events/envelopes.ts`: the EventBridge side of every event type. The `detail` of an evtgen event is
 * `{metadata, data}`: `metadata` carries the message headers (correlation id …), `data` the payload.
 */
export function emitEventEnvelopes(model: ContractModel): GeneratedFile {
  const imports = new Set<string>();
  for (const event of model.events) {
    imports.add(event.names.payload);
    if (event.names.metadata) imports.add(event.names.metadata);
  }
  const importLine = imports.size
    ? `import type { ${[...imports].sort().join(', ')} } from './models.js';\n\n`
    : '';
  const blocks = model.events.map(eventBlock);
  const content = `${header(model)}\n${importLine}${envelopeDeclaration}${blocks.join('\n')}`;
  return { path: 'events/envelopes.ts', content };
}

const envelopeDeclaration = `/**
 * An event as EventBridge delivers it to a rule target (the envelope around \`detail\`).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export interface EventBridgeEnvelope<TSource extends string, TDetailType extends string, TDetail> {
  readonly version: string;
  /** Unique per event; the default idempotency key of consumers. */
  readonly id: string;
  readonly 'detail-type': TDetailType;
  readonly source: TSource;
  readonly account: string;
  /** When the event was put (ISO 8601). */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: TDetail;
}

/** Headers of a message that declares none. */
export type UntypedMetadata = { readonly [header: string]: unknown };

`;

function eventBlock(event: EventType): string {
  const { names } = event;
  const metadataType = names.metadata ?? 'UntypedMetadata';
  const summary = event.summary ?? event.title;
  const correlation = event.correlationIdPath
    ? `\n\nThe correlation id is read from \`detail.${event.correlationIdPath.join('.')}\`.`
    : '';
  return [
    jsDoc([`The EventBridge \`detail\` of ${names.payload}${summary ? `: ${summary}` : '.'}${correlation}`]),
    `export interface ${names.detail} {\n`,
    `  /** Event metadata (the message headers). */\n`,
    `  readonly metadata: ${metadataType};\n`,
    `  /** The event payload. */\n`,
    `  readonly data: ${names.payload};\n`,
    `  /** The producer's id of this event: the same on every retry and relay (\`detail.eventId\`). */\n`,
    `  readonly eventId?: string;\n`,
    `  /** The registry version of the schema the producer was generated from (\`detail.schemaVersion\`${event.registryVersion ? `; current: ${event.registryVersion}` : ''}). */\n`,
    `  readonly schemaVersion?: number;\n`,
    '}\n\n',
    jsDoc([
      `${names.payload} as delivered by EventBridge: source ${literal(event.source)}, detail-type ${literal(event.detailType)}.`,
      event.description,
    ]),
    `export type ${names.event} = EventBridgeEnvelope<${literal(event.source)}, ${literal(event.detailType)}, ${names.detail}>;\n`,
  ].join('');
}
