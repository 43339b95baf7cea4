/**
 * What every request of one route is made from, decided once before a load starts: the bodies
 * (the spec's request examples, else a sample of the request schema), the parameters the contract
 * requires (examples, else samples), which headers must be unique per request (idempotency keys)
 * and which path parameters later answers can fill. Every value is checked against the contract
 * here, so a load never sends what the service must refuse with a 400.
 */
import { randomUUID } from 'node:crypto';
import { getAtPointer, isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import { followRefs, type SpecWorkspace } from '../load/workspace.js';
import type { HttpOperation, JsonSchema, ParameterLocation } from '../model/contract.js';
import { type CheckValue, type ContractSchemas, describeSchemaIssues } from './contract-schemas.js';

/** A request body, serialized once, and where it came from. */
export interface BodyTemplate {
  readonly text: string;
  /** `example "twoLines"` or `sample of the request schema`. */
  readonly origin: string;
}

/** A path parameter: its fallback value and the check a captured value must pass. */
export interface PathParameter {
  readonly name: string;
  readonly fallback: string;
  readonly check: CheckValue;
}

export interface RequestTemplate {
  readonly bodies: readonly BodyTemplate[];
  readonly contentType?: string;
  readonly pathParameters: readonly PathParameter[];
  /** `?a=1&b=2` of the required query parameters, or ''. */
  readonly query: string;
  /** Required header parameters (not idempotency keys), values fixed. */
  readonly headers: Readonly<Record<string, string>>;
  /** Header names that get a new unique value on every request. */
  readonly uniqueHeaders: readonly string[];
}

/** A parameter object as written in the spec (after `$ref`s). */
interface RawParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly explode?: boolean;
  readonly examples: readonly unknown[];
}

/** Names of header parameters whose value must be unique per request. */
const uniquePerRequest = /idempotency/i;

/** Builds the template of one operation; throws with the operation named when a value is invalid. */
export function requestTemplate(
  op: HttpOperation,
  workspace: SpecWorkspace,
  schemas: ContractSchemas,
): RequestTemplate {
  const what = `${op.method} ${op.path} (${op.operationId})`;
  const file = workspace.fileByDisplayPath(op.origin.file);
  const raw = file ? rawParameters(workspace, file, op.origin.pointer) : [];
  const propertySchema = (location: ParameterLocation, name: string): JsonSchema => {
    const set = op.parameterSets.find((s) => s.location === location);
    const properties =
      set && isObject(set.schema) && isObject(set.schema.properties) ? set.schema.properties : {};
    const key = location === 'header' ? name.toLowerCase() : name;
    const schema = properties[key];
    return typeof schema === 'boolean' || isObject(schema) ? schema : {};
  };
  const parameterValue = (param: RawParameter): unknown => {
    const schema = propertySchema(param.in, param.name);
    const check = schemas.compile(schema, op.dialect);
    const candidates = [...param.examples, schemas.sample(schema)];
    const found = candidates.find((candidate) => check(candidate).length === 0);
    if (found !== undefined) return found;
    throw new Error(
      `${what}: no valid value for the ${param.in} parameter "${param.name}" (its examples and a sample of its schema fail: ${describeSchemaIssues(check(candidates.at(-1)))}). Add a valid example to the parameter.`,
    );
  };

  const pathParameters = raw
    .filter((p) => p.in === 'path')
    .map((p) => ({
      name: p.name,
      fallback: String(parameterValue(p)),
      check: schemas.compile(propertySchema('path', p.name), op.dialect),
    }));
  const query = raw
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => queryPair(p, parameterValue(p)))
    .join('&');
  const headers: Record<string, string> = {};
  const uniqueHeaders: string[] = [];
  for (const p of raw.filter((r) => r.in === 'header')) {
    if (uniquePerRequest.test(p.name)) {
      const check = schemas.compile(propertySchema('header', p.name), op.dialect);
      const issues = check(randomUUID());
      if (issues.length > 0)
        throw new Error(
          `${what}: the header "${p.name}" gets a UUID per request, which its schema refuses (${describeSchemaIssues(issues)}).`,
        );
      uniqueHeaders.push(p.name);
    } else if (p.required) headers[p.name] = String(parameterValue(p));
  }
  return {
    ...bodiesOf(op, workspace, file, schemas, what),
    pathParameters,
    query: query === '' ? '' : `?${query}`,
    headers,
    uniqueHeaders,
  };
}

function bodiesOf(
  op: HttpOperation,
  workspace: SpecWorkspace,
  file: SourceFile | undefined,
  schemas: ContractSchemas,
  what: string,
): Pick<RequestTemplate, 'bodies' | 'contentType'> {
  const body = op.requestBody;
  if (!body) return { bodies: [] };
  const check = schemas.compile(body.schema, op.dialect);
  const media = file ? followRefs(workspace, file, joinPointer(op.origin.pointer, 'requestBody')) : undefined;
  const mediaPointer = media && joinPointer(media.pointer, 'content', body.contentType);
  const examples = media && mediaPointer ? examplesAt(workspace, media.file, mediaPointer) : [];
  const bodies: BodyTemplate[] = [];
  for (const example of examples) {
    const issues = check(example.value);
    if (issues.length > 0)
      throw new Error(
        `${what}: the request ${example.origin} does not match the request schema (${describeSchemaIssues(issues)}). Fix the example (\`evtgen lint\` locates it).`,
      );
    bodies.push({ text: JSON.stringify(example.value), origin: example.origin });
  }
  if (bodies.length === 0) {
    const value = schemas.sample(body.schema);
    const issues = check(value);
    if (issues.length > 0)
      throw new Error(
        `${what}: a sample of the request schema does not match it (${describeSchemaIssues(issues)}), and the spec has no request example. Add an example to the request body.`,
      );
    bodies.push({ text: JSON.stringify(value), origin: 'sample of the request schema' });
  }
  return { bodies, contentType: body.contentType };
}

/** `name=value` as OpenAPI's default query style (`form`) writes it. */
function queryPair(param: RawParameter, value: unknown): string {
  const key = encodeURIComponent(param.name);
  if (Array.isArray(value)) {
    const items = value.map((v) => encodeURIComponent(String(v)));
    return param.explode === false ? `${key}=${items.join(',')}` : items.map((v) => `${key}=${v}`).join('&');
  }
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return `${key}=${encodeURIComponent(text)}`;
}

/** Parameters of the path item and the operation (the operation's win on the same name and location). */
function rawParameters(workspace: SpecWorkspace, file: SourceFile, opPointer: string): RawParameter[] {
  const byKey = new Map<string, RawParameter>();
  const itemPointer = opPointer.slice(0, opPointer.lastIndexOf('/'));
  for (const base of [itemPointer, opPointer]) {
    const list = getAtPointer(file.value, joinPointer(base, 'parameters'));
    if (!Array.isArray(list)) continue;
    list.forEach((_, i) => {
      const param = followRefs(workspace, file, joinPointer(base, 'parameters', i));
      if (!param || !isObject(param.value)) return;
      const { name, in: location, required, explode } = param.value;
      if (typeof name !== 'string' || typeof location !== 'string') return;
      byKey.set(`${location}:${name}`, {
        name,
        in: location as ParameterLocation,
        required: required === true || location === 'path',
        ...(typeof explode === 'boolean' ? { explode } : {}),
        examples: examplesAt(workspace, param.file, param.pointer).map((e) => e.value),
      });
    });
  }
  return [...byKey.values()];
}

/** `example` and every `examples` entry with a `value` under `pointer`, in the spec's order. */
function examplesAt(
  workspace: SpecWorkspace,
  file: SourceFile,
  pointer: string,
): { value: unknown; origin: string }[] {
  const holder = getAtPointer(file.value, pointer);
  if (!isObject(holder)) return [];
  const found: { value: unknown; origin: string }[] = [];
  if ('example' in holder) found.push({ value: holder.example, origin: 'example' });
  const examples = isObject(holder.examples) ? holder.examples : {};
  for (const key of Object.keys(examples)) {
    const example = followRefs(workspace, file, joinPointer(pointer, 'examples', key));
    if (example && isObject(example.value) && 'value' in example.value)
      found.push({ value: example.value.value, origin: `example ${JSON.stringify(key)}` });
  }
  return found;
}
