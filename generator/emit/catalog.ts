import type { ContractModel, EventType, HttpOperation } from '../model/contract.js';
import { toValueName } from '../model/naming.js';
import { type GeneratedFile, header, literal } from './generated-file.js';
import { httpTypesModule } from './http-types.js';

/**
 * `catalog.ts`: every event type and every operation as data — names, routing keys and validators —
 * for code that works across the whole contract (generic handlers, tests, docs). `index.ts`
 * re-exports everything evtgen generates.
 */
export function emitCatalog(model: ContractModel): GeneratedFile[] {
  return [catalogFile(model), indexFile(model)];
}

function catalogFile(model: ContractModel): GeneratedFile {
  const eventImports = model.events.flatMap((e) => [
    `validate${e.names.payload}`,
    `validate${e.names.detail}`,
  ]);
  const httpImports = model.httpOperations.flatMap((op) => [
    ...(op.requestBody ? [`validate${op.requestBody.name}`] : []),
    ...op.parameterSets.map((s) => `validate${s.name}`),
  ]);
  const lines = [
    header(model),
    "import type { ValidationResult } from './validators/result.js';",
    ...(eventImports.length
      ? [`import { ${[...new Set(eventImports)].sort().join(', ')} } from './validators/events.js';`]
      : []),
    ...(httpImports.length
      ? [`import { ${httpImports.sort().join(', ')} } from './validators/http.js';`]
      : []),
    '',
    catalogTypes,
    '/** Every event type of the AsyncAPI documents, by type name. */',
    `export const eventCatalog = {${model.events.map(eventEntry).join('')}\n} as const satisfies Readonly<Record<string, EventCatalogEntry>>;`,
    '',
    '/** Every operation of the OpenAPI documents, by operationId. */',
    `export const operationCatalog = {${model.httpOperations.map(operationEntry).join('')}\n} as const satisfies Readonly<Record<string, OperationCatalogEntry>>;`,
    '',
    model.eventBusName
      ? `/** The EventBridge bus the service publishes to (info.x-eventbridge.eventBusName). */\nexport const eventBusName = ${literal(model.eventBusName)};\n`
      : '',
  ];
  return { path: 'catalog.ts', content: lines.join('\n').trimEnd().concat('\n') };
}

const catalogTypes = `export interface EventCatalogEntry {
  /** TypeScript name of the payload type. */
  readonly name: string;
  /** The message's name in the AsyncAPI document. */
  readonly messageName: string;
  readonly source: string;
  readonly detailType: string;
  /** Where the correlation id sits inside \`detail\`, or null when the message declares none. */
  readonly correlationIdPath: readonly string[] | null;
  /** The registry version of the current schema (\`detail.schemaVersion\`), or null when unpublished. */
  readonly schemaVersion: number | null;
  readonly validatePayload: (value: unknown) => ValidationResult<unknown>;
  readonly validateDetail: (value: unknown) => ValidationResult<unknown>;
}

export interface OperationCatalogEntry {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** True when the operation declares \`security: []\` (or the document has no security). */
  readonly isPublic: boolean;
  /** Event type names the operation publishes (\`x-emits\`). */
  readonly emits: readonly string[];
  readonly validateRequestBody: ((value: unknown) => ValidationResult<unknown>) | null;
  readonly validateParameters: {
    readonly path?: (value: unknown) => ValidationResult<unknown>;
    readonly query?: (value: unknown) => ValidationResult<unknown>;
    readonly header?: (value: unknown) => ValidationResult<unknown>;
    readonly cookie?: (value: unknown) => ValidationResult<unknown>;
  };
}
`;

function eventEntry(event: EventType): string {
  const path = event.correlationIdPath ? `[${event.correlationIdPath.map(literal).join(', ')}]` : 'null';
  return `
  ${event.names.payload}: {
    name: ${literal(event.names.payload)},
    messageName: ${literal(event.messageName)},
    source: ${literal(event.source)},
    detailType: ${literal(event.detailType)},
    correlationIdPath: ${path},
    schemaVersion: ${event.registryVersion ?? 'null'},
    validatePayload: validate${event.names.payload},
    validateDetail: validate${event.names.detail},
  },`;
}

function operationEntry(op: HttpOperation): string {
  const params = op.parameterSets.map((s) => `${s.location}: validate${s.name}`).join(', ');
  return `
  ${literal(op.operationId)}: {
    operationId: ${literal(op.operationId)},
    method: ${literal(op.method)},
    path: ${literal(op.path)},
    isPublic: ${op.isPublic},
    emits: [${op.emits.map(literal).join(', ')}],
    validateRequestBody: ${op.requestBody ? `validate${op.requestBody.name}` : 'null'},
    validateParameters: {${params ? ` ${params} ` : ''}},
  },`;
}

function indexFile(model: ContractModel): GeneratedFile {
  const hasEvents = model.events.length > 0;
  const hasHttp = model.httpOperations.length > 0;
  const openapiModules = [
    ...new Set(model.documents.filter((d) => d.kind === 'openapi').map((d) => httpTypesModule(d.file))),
  ].sort();
  const lines = [
    header(model),
    ...(hasEvents ? ["export * from './events/models.js';", "export * from './events/envelopes.js';"] : []),
    "export * from './validators/result.js';",
    ...(hasEvents ? ["export * from './validators/events.js';"] : []),
    ...(hasHttp ? ["export * from './validators/http.js';", "export * from './http/operations.js';"] : []),
    ...openapiModules.map((m) => `export * as ${toValueName(m)} from './http/${m}.js';`),
    "export * from './catalog.js';",
  ];
  return { path: 'index.ts', content: `${lines.join('\n')}\n` };
}
