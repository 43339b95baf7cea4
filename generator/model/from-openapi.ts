import type { Diagnostic } from '../diagnostics.js';
import { checkExtension } from '../load/extensions.js';
import { getAtPointer, isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import { isDiagnostic, type SpecWorkspace } from '../load/workspace.js';
import type {
  HttpOperation,
  HttpResponse,
  JsonSchema,
  ParameterLocation,
  ParameterSet,
  ResponseHeader,
  SecurityScheme,
  SpecDocument,
} from './contract.js';
import { defaultSlo } from './contract.js';
import { type DeclaredCors, readCors } from './cors.js';
import { type NameRegistry, toTypeName } from './naming.js';
import { securityMissing, securitySchemesOf } from './openapi-security.js';
import { derivedIdsWarning, derivedOperationId } from './operation-ids.js';
import type { SchemaCollector, SchemaContext } from './schema-collector.js';
import { sloFields } from './slo.js';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const locations: readonly ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
const locationSuffix: Record<ParameterLocation, string> = {
  path: 'PathParams',
  query: 'Query',
  header: 'Headers',
  cookie: 'Cookies',
};

export interface OpenApiModel {
  readonly document: SpecDocument;
  readonly operations: HttpOperation[];
  readonly securitySchemes: SecurityScheme[];
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /** The document's `x-cors` when valid (defaults are applied across documents: build-model.ts). */
  readonly cors?: DeclaredCors;
  readonly diagnostics: Diagnostic[];
}

interface Ctx {
  readonly file: SourceFile;
  readonly workspace: SpecWorkspace;
  readonly schemas: SchemaCollector;
  readonly names: NameRegistry;
  readonly context: SchemaContext;
  readonly diagnostics: Diagnostic[];
  /** Report operations without any `security` (see LoadOptions.requireSecurity). */
  readonly requireSecurity: boolean;
  /** Operations named from method and path (no `operationId`): one warning per document. */
  readonly derived: { method: string; path: string; name: string }[];
}

interface Located {
  readonly file: SourceFile;
  readonly pointer: string;
  readonly value: Record<string, unknown>;
}

/** Builds the HTTP side of the contract model from one OpenAPI 3.0/3.1 document. */
export function buildFromOpenApi(
  file: SourceFile,
  workspace: SpecWorkspace,
  schemas: SchemaCollector,
  names: NameRegistry,
  options: { readonly requireSecurity: boolean },
): OpenApiModel {
  const doc = file.value as Record<string, unknown>;
  const version = String(doc.openapi);
  const openapi30 = version.startsWith('3.0');
  const context: SchemaContext = {
    dialect: openapi30 ? 'draft-07' : '2020-12',
    openapi30,
    usedBy: 'openapi',
  };
  const ctx: Ctx = { file, workspace, schemas, names, context, diagnostics: [], derived: [], ...options };
  const info = isObject(doc.info) ? doc.info : {};
  if (doc['x-throttling'] !== undefined) {
    ctx.diagnostics.push(
      ...checkExtension('throttling', 'x-throttling', doc['x-throttling'], file, '/x-throttling'),
    );
  }
  if (doc['x-slo'] !== undefined) {
    ctx.diagnostics.push(...checkExtension('slo', 'x-slo', doc['x-slo'], file, '/x-slo'));
  }
  const cors = readCors(doc, file);
  ctx.diagnostics.push(...cors.diagnostics);
  const components = isObject(doc.components) ? doc.components : {};
  for (const key of Object.keys(isObject(components.schemas) ? components.schemas : {})) {
    schemas.nameSchema(file, joinPointer('/components/schemas', key), context);
  }
  const operations: HttpOperation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of methods) {
      if (!isObject(item[method])) continue;
      const operation = buildOperation(ctx, doc, path, method, item);
      if (operation) operations.push(operation);
    }
  }
  const derivedWarning = derivedIdsWarning(file, ctx.derived);
  if (derivedWarning) ctx.diagnostics.push(derivedWarning);
  return {
    document: {
      kind: 'openapi',
      file: file.displayPath,
      specVersion: version,
      title: typeof info.title === 'string' ? info.title : file.displayPath,
      version: typeof info.version === 'string' ? info.version : '',
    },
    operations: operations.sort((a, b) =>
      a.operationId < b.operationId ? -1 : a.operationId > b.operationId ? 1 : 0,
    ),
    securitySchemes: securitySchemesOf(components),
    ...(isObject(doc['x-throttling']) &&
    typeof doc['x-throttling'].rateLimit === 'number' &&
    typeof doc['x-throttling'].burstLimit === 'number'
      ? {
          throttling: {
            rateLimit: doc['x-throttling'].rateLimit,
            burstLimit: doc['x-throttling'].burstLimit,
          },
        }
      : {}),
    ...(cors.cors ? { cors: cors.cors } : {}),
    diagnostics: ctx.diagnostics,
  };
}

function buildOperation(
  ctx: Ctx,
  doc: Record<string, unknown>,
  path: string,
  method: string,
  item: Record<string, unknown>,
): HttpOperation | undefined {
  const pointer = joinPointer('/paths', path, method);
  const op = item[method] as Record<string, unknown>;
  const origin = ctx.schemas.origin(ctx.file, pointer);
  const derived = typeof op.operationId !== 'string' || op.operationId === '';
  const operationId = derived ? derivedOperationId(method, path) : (op.operationId as string);
  if (derived) ctx.derived.push({ method, path, name: operationId });
  const name = toTypeName(operationId);
  if (!ctx.names.claim(name, origin, 'operation', operationId)) return undefined;

  for (const [key, kind] of [
    ['x-emits', 'emits'],
    ['x-throttling', 'throttling'],
    ['x-slo', 'slo'],
    ['x-compatibility', 'compatibility'],
    ['x-sunset', 'sunset'],
  ] as const) {
    if (op[key] !== undefined)
      ctx.diagnostics.push(...checkExtension(kind, key, op[key], ctx.file, joinPointer(pointer, key)));
  }
  const declared = Array.isArray(op.security)
    ? op.security
    : Array.isArray(doc.security)
      ? doc.security
      : undefined;
  if (declared === undefined && ctx.requireSecurity) {
    const at = { file: ctx.file.displayPath, position: origin.position, pointer };
    ctx.diagnostics.push(securityMissing(at, method, path, operationId));
  }
  const security = declared ?? [];
  const securityNames = [...new Set(security.filter(isObject).flatMap((req) => Object.keys(req)))].sort();
  const throttling = isObject(op['x-throttling'])
    ? op['x-throttling']
    : isObject(doc['x-throttling'])
      ? doc['x-throttling']
      : undefined;
  const requestBody = buildRequestBody(ctx, pointer, op, name);
  return {
    operationId,
    ...(derived ? { operationIdDerived: true } : {}),
    name,
    method: method.toUpperCase(),
    path,
    ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
    ...(typeof op.description === 'string' ? { description: op.description } : {}),
    deprecated: op.deprecated === true,
    parameterSets: buildParameterSets(ctx, pointer, item, op, name),
    ...(requestBody ? { requestBody } : {}),
    responses: buildResponses(ctx, pointer, op, name),
    security: securityNames,
    isPublic: security.length === 0 || security.some((req) => isObject(req) && Object.keys(req).length === 0),
    emits: Array.isArray(op['x-emits'])
      ? op['x-emits'].filter((e): e is string => typeof e === 'string')
      : [],
    ...(throttling && typeof throttling.rateLimit === 'number' && typeof throttling.burstLimit === 'number'
      ? { throttling: { rateLimit: throttling.rateLimit, burstLimit: throttling.burstLimit } }
      : {}),
    slo: { ...defaultSlo, ...sloFields(doc['x-slo']), ...sloFields(op['x-slo']) },
    dialect: ctx.context.dialect,
    origin,
  };
}

/** Follows a `$ref` (components.parameters, requestBodies, responses) to the object it names. */
function deref(ctx: Ctx, file: SourceFile, pointer: string): Located | undefined {
  let current: Located | undefined;
  let at = { file, pointer };
  for (let hops = 0; hops < 32; hops++) {
    const value = getAtPointer(at.file.value, at.pointer);
    if (!isObject(value)) return undefined;
    if (typeof value.$ref !== 'string') return { file: at.file, pointer: at.pointer, value };
    const target = ctx.workspace.resolveRef(at.file, value.$ref, at.pointer);
    if (isDiagnostic(target)) {
      ctx.diagnostics.push(target);
      return undefined;
    }
    at = target;
    current = undefined;
  }
  return current;
}

function buildParameterSets(
  ctx: Ctx,
  pointer: string,
  item: Record<string, unknown>,
  op: Record<string, unknown>,
  name: string,
): ParameterSet[] {
  // Operation parameters override path-item parameters with the same name and location.
  const byKey = new Map<string, Located>();
  const collect = (list: unknown, at: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((_, i) => {
      const param = deref(ctx, ctx.file, joinPointer(at, 'parameters', i));
      if (param && typeof param.value.name === 'string' && typeof param.value.in === 'string') {
        byKey.set(`${param.value.in}:${param.value.name}`, param);
      }
    });
  };
  collect(item.parameters, pointer.slice(0, pointer.lastIndexOf('/')));
  collect(op.parameters, pointer);
  const sets: ParameterSet[] = [];
  for (const location of locations) {
    const params = [...byKey.values()].filter((p) => p.value.in === location);
    if (params.length === 0) continue;
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const param of params) {
      const paramName =
        location === 'header' ? String(param.value.name).toLowerCase() : String(param.value.name);
      properties[paramName] = parameterSchema(ctx, param);
      if (param.value.required === true || location === 'path') required.push(paramName);
    }
    const schema: JsonSchema = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
    const setName = ctx.schemas.defineSchema(
      `${name}${locationSuffix[location]}`,
      ctx.schemas.origin(ctx.file, pointer),
      schema,
      ctx.context,
    );
    if (setName) sets.push({ location, name: setName, schema, parameters: Object.keys(properties) });
  }
  return sets;
}

function parameterSchema(ctx: Ctx, param: Located): JsonSchema {
  if (param.value.schema !== undefined)
    return ctx.schemas.convert(param.file, joinPointer(param.pointer, 'schema'), ctx.context);
  const content = isObject(param.value.content) ? param.value.content : {};
  const [mediaType] = Object.keys(content);
  if (mediaType !== undefined && isObject(content[mediaType]) && content[mediaType].schema !== undefined) {
    return ctx.schemas.convert(
      param.file,
      joinPointer(param.pointer, 'content', mediaType, 'schema'),
      ctx.context,
    );
  }
  return {};
}

/** The JSON media type of a body: `application/json`, else the first `+json` one, else the first. */
function jsonMediaType(content: Record<string, unknown>): string | undefined {
  const types = Object.keys(content);
  return types.find((t) => t === 'application/json') ?? types.find((t) => /[/+]json\b/.test(t)) ?? types[0];
}

function buildRequestBody(ctx: Ctx, pointer: string, op: Record<string, unknown>, name: string) {
  if (op.requestBody === undefined) return undefined;
  const body = deref(ctx, ctx.file, joinPointer(pointer, 'requestBody'));
  if (!body || !isObject(body.value.content)) return undefined;
  const contentType = jsonMediaType(body.value.content);
  if (contentType === undefined) return undefined;
  const media = body.value.content[contentType];
  const schemaPointer = joinPointer(body.pointer, 'content', contentType, 'schema');
  const schema =
    isObject(media) && media.schema !== undefined
      ? ctx.schemas.convert(body.file, schemaPointer, ctx.context)
      : {};
  const bodyName = ctx.schemas.defineSchema(
    `${name}RequestBody`,
    ctx.schemas.origin(body.file, body.pointer),
    schema,
    ctx.context,
  );
  if (!bodyName) return undefined;
  return { name: bodyName, contentType, required: body.value.required === true, schema };
}

function buildResponses(
  ctx: Ctx,
  pointer: string,
  op: Record<string, unknown>,
  opName: string,
): HttpResponse[] {
  const responses = isObject(op.responses) ? op.responses : {};
  return Object.keys(responses)
    .sort()
    .flatMap((status) => {
      const response = deref(ctx, ctx.file, joinPointer(pointer, 'responses', status));
      if (!response) return [];
      const content = isObject(response.value.content) ? response.value.content : {};
      const contentType = jsonMediaType(content);
      // `201` → CreateOrderResponse201, `4XX` → …Response4xx, `default` → …ResponseDefault.
      const typeName = `${opName}Response${/^\d/.test(status) ? status.toLowerCase() : toTypeName(status)}`;
      const named =
        contentType !== undefined &&
        ctx.names.claim(
          typeName,
          ctx.schemas.origin(ctx.file, joinPointer(pointer, 'responses', status)),
          'response type',
          typeName,
        );
      const schemaPointer = joinPointer(response.pointer, 'content', contentType ?? '', 'schema');
      const media = contentType === undefined ? undefined : content[contentType];
      const schema =
        named && isObject(media) && media.schema !== undefined
          ? ctx.schemas.convert(response.file, schemaPointer, ctx.context)
          : named
            ? {}
            : undefined;
      return [
        {
          status,
          ...(named ? { name: typeName, contentType } : {}),
          ...(schema !== undefined ? { schema } : {}),
          headers: buildResponseHeaders(ctx, response),
          ...(typeof response.value.description === 'string'
            ? { description: response.value.description }
            : {}),
          contentTypes: Object.keys(content).sort(),
        },
      ];
    });
}

/** `headers` of a response; `Content-Type` is not a header the handler sets (OpenAPI ignores it too). */
function buildResponseHeaders(ctx: Ctx, response: Located): ResponseHeader[] {
  const headers = isObject(response.value.headers) ? response.value.headers : {};
  return Object.keys(headers)
    .filter((name) => name.toLowerCase() !== 'content-type')
    .sort()
    .flatMap((name) => {
      const header = deref(ctx, response.file, joinPointer(response.pointer, 'headers', name));
      if (!header) return [];
      return [
        {
          name: name.toLowerCase(),
          required: header.value.required === true,
          ...(typeof header.value.description === 'string' ? { description: header.value.description } : {}),
        },
      ];
    });
}
