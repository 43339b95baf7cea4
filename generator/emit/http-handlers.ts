import type {
  ContractModel,
  HttpOperation,
  HttpResponse,
  JsonSchema,
  ParameterSet,
} from '../model/contract.js';
import { toKebabName, toValueName } from '../model/naming.js';
import { type GeneratedFile, header, jsDoc, jsDocLine, literal } from './generated-file.js';
import { definitionName, outboxArrow, publishArrow } from './publishers.js';
import { validatedResponses } from './validators.js';

/** Where each operation's wrapper goes, and the names users import from it. */
export interface HttpHandlerNames {
  /** `handlers/create-order.ts`, relative to the output folder. */
  readonly file: string;
  /** `createOrderHandler`: wraps the user's implementation into the Lambda handler. */
  readonly factory: string;
  /** `CreateOrderImplementation`: the type of the user's function. */
  readonly implementation: string;
  readonly request: string;
  readonly result: string;
  readonly context: string;
}

export function httpHandlerNames(op: HttpOperation): HttpHandlerNames {
  return {
    file: `handlers/${toKebabName(op.operationId)}.ts`,
    factory: `${toValueName(op.operationId)}Handler`,
    implementation: `${op.name}Implementation`,
    request: `${op.name}Request`,
    result: `${op.name}Result`,
    context: `${op.name}Context`,
  };
}

const requestKey = { path: 'path', query: 'query', header: 'headers', cookie: 'cookies' } as const;

/**
 * `handlers/<operation>.ts`: the typed request, result and implementation types of one operation
 * and the factory that turns the user's function into its API Gateway (HTTP API v2) handler.
 */
export function emitHttpHandlers(model: ContractModel): GeneratedFile[] {
  const schemas = new Map(model.schemas.map((s) => [s.name, s.schema]));
  return model.httpOperations.map((op) => ({
    path: httpHandlerNames(op).file,
    content: handlerModule(model, op, schemas),
  }));
}

function handlerModule(
  model: ContractModel,
  op: HttpOperation,
  schemas: ReadonlyMap<string, JsonSchema>,
): string {
  const names = httpHandlerNames(op);
  const where = `${op.operationId} (${op.method} ${op.path})`;
  const types = [
    ...op.parameterSets.map((s) => s.name),
    ...(op.requestBody ? [op.requestBody.name] : []),
    ...op.responses.flatMap((r) => (r.name ? [r.name] : [])),
  ].sort();
  const validators = [
    ...op.parameterSets.map((s) => `validate${s.name}`),
    ...(op.requestBody ? [`validate${op.requestBody.name}`] : []),
    ...validatedResponses(op).map((n) => `validate${n}`),
  ].sort();
  const emits = model.events.filter((e) => op.emits.includes(e.names.payload));
  const emitsName = `${toValueName(op.operationId)}Emits`;
  const picked = emits.map((e) => literal(e.names.value)).join(' | ');
  const publishType = emits.length > 0 ? `Pick<Publishers, ${picked}>` : 'Record<string, never>';
  const outboxType = emits.length > 0 ? `Pick<Outbox, ${picked}>` : 'Record<string, never>';
  const lines = [
    header(model),
    "import type { HttpContext, HttpHandler, HttpHandlerOptions, HttpOperationDefinition } from '../runtime/http.js';",
    "import { createHttpHandler } from '../runtime/http.js';",
    emits.length > 0
      ? "import { defaultEventBusName, observability } from '../service.js';"
      : "import { observability } from '../service.js';",
    ...(emits.length > 0
      ? [
          `import { ${emits.map(definitionName).join(', ')}, type Outbox, type Publishers } from '../publishers.js';`,
          "import { EventOutbox } from '../runtime/outbox.js';",
          "import { EventPublisher } from '../runtime/publisher.js';",
        ]
      : []),
    ...(types.length > 0 ? [`import type { ${types.join(', ')} } from '../http/operations.js';`] : []),
    ...(validators.length > 0 ? [`import { ${validators.join(', ')} } from '../validators/http.js';`] : []),
    '',
    jsDoc([`The validated request of ${where}.`]).trimEnd(),
    `export interface ${names.request} {`,
    ...requestMembers(op),
    '}',
    '',
    jsDoc([
      `Every response ${where} declares: return one of them.`,
      'Undeclared statuses are replaced by a 500; with `validateResponses`, so are bodies off the contract.',
    ]).trimEnd(),
    `export type ${names.result} =${op.responses.map((r) => `\n  | ${resultMember(r)}`).join('') || ' never'};`,
    '',
    jsDoc([
      emits.length > 0
        ? `What ${op.operationId} gets besides its request: logger, metrics, tracer, correlation id, and the publishers and outbox rows of ${emits.map((e) => e.messageName).join(', ')} (\`x-emits\`).`
        : `What ${op.operationId} gets besides its request: logger, metrics, tracer and the correlation id.`,
    ]).trimEnd(),
    `export type ${names.context} = HttpContext<${publishType}, ${outboxType}>;`,
    '',
    jsDoc([op.summary, op.description, `The business logic of ${where}, written by you.`]).trimEnd(),
    `export type ${names.implementation} = (request: ${names.request}, context: ${names.context}) => Promise<${names.result}>;`,
    '',
    jsDocLine(`How ${op.operationId} is read and answered: parameters, body and responses of the contract.`),
    `export const ${toValueName(op.operationId)}Operation: HttpOperationDefinition = {`,
    `  operationId: ${literal(op.operationId)},`,
    `  method: ${literal(op.method)},`,
    `  path: ${literal(op.path)},`,
    '  parameters: {',
    ...op.parameterSets.map((s) => parameterEntry(s, schemas)),
    '  },',
    ...(op.requestBody
      ? [
          `  body: { contentType: ${literal(op.requestBody.contentType)}, required: ${op.requestBody.required}, validate: validate${op.requestBody.name} },`,
        ]
      : []),
    '  responses: {',
    ...op.responses.map(responseEntry),
    '  },',
    '};',
    '',
    ...(emits.length > 0
      ? [
          jsDocLine(
            `The events ${op.operationId} emits (\`x-emits\`): its bundle carries only their validators, not every event's.`,
          ).trimEnd(),
          `const ${emitsName} = [${emits.map(definitionName).join(', ')}];`,
          '',
        ]
      : []),
    jsDoc([
      `Turns your implementation of ${where} into its Lambda handler: requests are validated before it runs (400 problem+json listing each failing pointer), its result becomes the response, and an exception becomes a 500 problem+json that reveals nothing of the error.`,
    ]).trimEnd(),
    `export function ${names.factory}(implementation: ${names.implementation}, options: HttpHandlerOptions = {}): HttpHandler {`,
    `  return createHttpHandler<${names.request}, ${names.result}, ${publishType}, ${outboxType}>(`,
    `    ${toValueName(op.operationId)}Operation,`,
    '    observability,',
    ...(emits.length > 0
      ? [
          '    (correlationId) => {',
          `      const publisher = new EventPublisher(${emitsName}, defaultEventBusName, { correlationId, observability });`,
          `      const outbox = new EventOutbox(${emitsName}, defaultEventBusName, { correlationId });`,
          '      return {',
          `        publish: {${emits.map((e) => `\n          ${e.names.value}: ${publishArrow(e)},`).join('')}\n        },`,
          `        outbox: {${emits.map((e) => `\n          ${e.names.value}: ${outboxArrow(e)},`).join('')}\n        },`,
          '      };',
          '    },',
        ]
      : ['    () => ({ publish: {}, outbox: {} }),']),
    '    implementation,',
    '    options,',
    '  );',
    '}',
    '',
  ];
  return lines.join('\n');
}

function requestMembers(op: HttpOperation): string[] {
  const members: string[] = [];
  for (const set of op.parameterSets) {
    members.push(
      `  /** ${set.location === 'header' ? 'Header parameters (names in lower case)' : `${capitalize(set.location)} parameters`}, coerced to their declared types. */`,
      `  readonly ${requestKey[set.location]}: ${set.name};`,
    );
  }
  if (op.requestBody) {
    members.push(
      jsDocLine(
        `The ${op.requestBody.contentType} body${op.requestBody.required ? '' : ' (absent when the client sent none)'}.`,
        '  ',
      ),
      `  readonly body${op.requestBody.required ? '' : '?'}: ${op.requestBody.name};`,
    );
  }
  return members;
}

function resultMember(r: HttpResponse): string {
  const status = /^\d{3}$/.test(r.status) ? r.status : 'number';
  const body = r.name ? `readonly body: ${r.name}` : 'readonly body?: undefined';
  const required = r.headers.filter((h) => h.required);
  const headers =
    required.length > 0
      ? `readonly headers: { ${required.map((h) => `readonly ${propertyKey(h.name)}: string;`).join(' ')} } & Readonly<Record<string, string>>`
      : 'readonly headers?: Readonly<Record<string, string>>';
  const range = status === 'number' ? ` /* ${r.status} */` : '';
  return `{ readonly status: ${status}${range}; ${body}; ${headers} }`;
}

function parameterEntry(set: ParameterSet, schemas: ReadonlyMap<string, JsonSchema>): string {
  const arrays = set.parameters.filter((name) => isArraySchema(propertySchema(set.schema, name), schemas));
  return `    ${set.location}: { names: [${set.parameters.map(literal).join(', ')}], arrays: [${arrays.map(literal).join(', ')}], validate: validate${set.name} },`;
}

function responseEntry(r: HttpResponse): string {
  const parts = [
    ...(r.contentType ? [`contentType: ${literal(r.contentType)}`] : []),
    ...(r.name && r.schema ? [`validate: validate${r.name}`] : []),
  ];
  return `    ${literal(r.status)}: { ${parts.join(', ')}${parts.length > 0 ? ' ' : ''}},`;
}

function propertySchema(schema: JsonSchema, name: string): JsonSchema | undefined {
  if (typeof schema !== 'object') return undefined;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  return properties?.[name];
}

/** True when the parameter's schema (through `$ref`s) is an array: its values arrive comma-joined. */
function isArraySchema(
  schema: JsonSchema | undefined,
  schemas: ReadonlyMap<string, JsonSchema>,
  depth = 0,
): boolean {
  if (typeof schema !== 'object' || depth > 16) return false;
  if (typeof schema.$ref === 'string') {
    const target = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1];
    return target !== undefined && isArraySchema(schemas.get(target), schemas, depth + 1);
  }
  return schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'));
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name);
}
