/**
 * The specs' examples checked against their schemas: AsyncAPI message examples (payload and headers)
 * and OpenAPI media-type and parameter examples. An example that its own schema refuses misleads
 * every reader of the docs and every `evtgen events send` built from it, so it is an error.
 *
 * Validation uses the generated validators' own ajv instances and schema bundle (emit/validators.ts
 * `validatorInstances`), so dialects (draft-07, 2020-12, OpenAPI 3.0 `nullable`, already rewritten
 * by the schema collector) and formats behave exactly as at run time.
 */
import type { Ajv, ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { validatorInstances } from '../emit/validators.js';
import { getAtPointer, isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import { followRefs, type RefTarget, type SpecWorkspace } from '../load/workspace.js';
import type { ContractModel, HttpOperation, JsonSchema, SchemaDialect } from './contract.js';

/** One example value and the schema it must satisfy. */
interface ExampleTarget {
  readonly file: SourceFile;
  /** Pointer of the example value itself. */
  readonly pointer: string;
  readonly value: unknown;
  /** Bundle form: references point into `#/definitions`. */
  readonly schema: JsonSchema;
  readonly dialect: SchemaDialect;
  /** `example "placed" of message OrderPlaced (payload)`. */
  readonly label: string;
}

/** At most this many schema errors per example: the first few say what is wrong. */
const maxErrorsPerExample = 5;

export async function checkExamples(model: ContractModel, workspace: SpecWorkspace): Promise<Diagnostic[]> {
  const targets = [...messageExamples(model, workspace), ...httpExamples(model, workspace)];
  if (targets.length === 0) return [];
  // The validators' own bundle and ajv instances (emit/validators.ts): a body, response or payload
  // validator compiled here is the one the emitter then writes out. A schema that is no validator
  // of its own (a parameter's) is compiled as an extra definition, once per schema, not per example
  // (GitHub's REST description: ~1,000 examples on ~700 schemas).
  const named = new Map<JsonSchema, string>();
  for (const schema of model.schemas) named.set(schema.schema, schema.name);
  for (const op of model.httpOperations)
    for (const response of op.responses)
      if (response.name && response.schema) named.set(response.schema, response.name);
  const extra: Record<string, JsonSchema> = {};
  const extraNames = new Map<JsonSchema, string>();
  const nameOf = (schema: JsonSchema): { name: string; own: boolean } => {
    // A message's payload or headers: `{$ref: '#/definitions/<its validator>'}`.
    const onlyRef =
      isObject(schema) && Object.keys(schema).length === 1 && typeof schema.$ref === 'string'
        ? /^#\/definitions\/([^/]+)$/.exec(schema.$ref)?.[1]
        : undefined;
    const own = onlyRef ?? named.get(schema);
    if (own !== undefined) return { name: own, own: true };
    let name = extraNames.get(schema);
    if (name === undefined) {
      name = `evtgenExample${extraNames.size}`;
      extraNames.set(schema, name);
      extra[name] = schema;
    }
    return { name, own: false };
  };
  const names = targets.map((target) => nameOf(target.schema));
  const instances = validatorInstances(model, extra);
  const diagnostics: Diagnostic[] = [];
  for (const [i, target] of targets.entries()) {
    const { name, own } = names[i] as { name: string; own: boolean };
    let validate: ReturnType<Ajv['getSchema']>;
    try {
      validate = await instances.validator(target.dialect, false, name, own);
    } catch {
      continue; // A schema ajv cannot take is reported by the schema checks, with its position.
    }
    if (!validate || validate(target.value)) continue;
    diagnostics.push(...toDiagnostics(target, validate.errors ?? []));
  }
  return diagnostics;
}

function toDiagnostics(target: ExampleTarget, errors: readonly ErrorObject[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    // A failed anyOf/oneOf also reports each branch; the branch errors say more.
    if ((error.keyword === 'anyOf' || error.keyword === 'oneOf') && errors.length > 1) continue;
    const extra =
      error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties'
        ? String(
            (error.params as { additionalProperty?: string; unevaluatedProperty?: string })
              .additionalProperty ??
              (error.params as { unevaluatedProperty?: string }).unevaluatedProperty ??
              '',
          )
        : undefined;
    const inside = extra ? joinPointer(error.instancePath, extra) : error.instancePath;
    const pointer = target.pointer + inside;
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    const detail = `${error.message ?? 'is not allowed'}${extra ? ` (${JSON.stringify(extra)})` : ''}${
      allowed ? `: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : ''
    }`;
    const key = `${pointer}|${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      severity: 'error',
      code: 'example-invalid',
      message: `The ${target.label} does not match its schema: ${inside === '' ? 'the value' : inside} ${detail}.`,
      file: target.file.displayPath,
      position: target.file.locate(pointer),
      pointer,
      hint: 'Fix the example so that it satisfies the schema (or fix the schema, if the example shows what is really sent).',
    });
    if (out.length === maxErrorsPerExample) break;
  }
  return out;
}

function messageExamples(model: ContractModel, workspace: SpecWorkspace): ExampleTarget[] {
  const targets: ExampleTarget[] = [];
  for (const event of model.events) {
    const file = workspace.fileByDisplayPath(event.origin.file);
    const examples = file
      ? getAtPointer(file.value, joinPointer(event.origin.pointer, 'examples'))
      : undefined;
    if (!file || !Array.isArray(examples)) continue;
    examples.forEach((_, i) => {
      const example = followRefs(workspace, file, joinPointer(event.origin.pointer, 'examples', i));
      if (!example || !isObject(example.value)) return;
      const name = typeof example.value.name === 'string' ? `"${example.value.name}"` : `#${i + 1}`;
      const parts = [
        ['payload', event.names.payload],
        ['headers', event.names.metadata],
      ] as const;
      for (const [part, schemaName] of parts) {
        if (schemaName === undefined || !(part in example.value)) continue;
        targets.push({
          file: example.file,
          pointer: joinPointer(example.pointer, part),
          value: example.value[part],
          schema: { $ref: `#/definitions/${schemaName}` },
          dialect: event.dialect,
          label: `example ${name} of message ${event.messageName} (${part})`,
        });
      }
    });
  }
  return targets;
}

function httpExamples(model: ContractModel, workspace: SpecWorkspace): ExampleTarget[] {
  const targets: ExampleTarget[] = [];
  for (const op of model.httpOperations) {
    const file = workspace.fileByDisplayPath(op.origin.file);
    if (!file) continue;
    const what = `${op.method} ${op.path}`;
    const media = (at: string, contentType: string, schema: JsonSchema, label: string) => {
      const holder = followRefs(workspace, file, at);
      if (!holder) return;
      const mediaPointer = joinPointer(holder.pointer, 'content', contentType);
      targets.push(...examplesAt(workspace, holder.file, mediaPointer, schema, op.dialect, label));
    };
    if (op.requestBody) {
      const { contentType, schema } = op.requestBody;
      media(
        joinPointer(op.origin.pointer, 'requestBody'),
        contentType,
        schema,
        `${what} request body (${contentType})`,
      );
    }
    for (const response of op.responses) {
      if (!response.schema || !response.contentType) continue;
      media(
        joinPointer(op.origin.pointer, 'responses', response.status),
        response.contentType,
        response.schema,
        `${what} response ${response.status} (${response.contentType})`,
      );
    }
    targets.push(...parameterExamples(workspace, file, op, what));
  }
  return targets;
}

/** Parameters of the path item and the operation (the operation's win on the same name and location). */
function parameterExamples(
  workspace: SpecWorkspace,
  file: SourceFile,
  op: HttpOperation,
  what: string,
): ExampleTarget[] {
  const byKey = new Map<string, RefTarget & { value: Record<string, unknown> }>();
  const itemPointer = op.origin.pointer.slice(0, op.origin.pointer.lastIndexOf('/'));
  for (const base of [itemPointer, op.origin.pointer]) {
    const list = getAtPointer(file.value, joinPointer(base, 'parameters'));
    if (!Array.isArray(list)) continue;
    list.forEach((_, i) => {
      const param = followRefs(workspace, file, joinPointer(base, 'parameters', i));
      if (param && isObject(param.value) && typeof param.value.name === 'string')
        byKey.set(`${param.value.in}:${param.value.name}`, { ...param, value: param.value });
    });
  }
  const targets: ExampleTarget[] = [];
  for (const param of byKey.values()) {
    const location = String(param.value.in);
    const set = op.parameterSets.find((s) => s.location === location);
    const name = location === 'header' ? String(param.value.name).toLowerCase() : String(param.value.name);
    const properties =
      set && isObject(set.schema) && isObject(set.schema.properties) ? set.schema.properties : {};
    const schema = properties[name];
    if (schema === undefined || (typeof schema !== 'boolean' && !isObject(schema))) continue;
    const label = `${what} ${location} parameter ${JSON.stringify(param.value.name)}`;
    targets.push(...examplesAt(workspace, param.file, param.pointer, schema, op.dialect, label));
    const content = isObject(param.value.content) ? param.value.content : {};
    const [mediaType] = Object.keys(content);
    if (mediaType !== undefined) {
      const at = joinPointer(param.pointer, 'content', mediaType);
      targets.push(...examplesAt(workspace, param.file, at, schema, op.dialect, label));
    }
  }
  return targets;
}

/** `example` and every `examples` entry (Example Objects, `$ref`s into components) under `pointer`. */
function examplesAt(
  workspace: SpecWorkspace,
  file: SourceFile,
  pointer: string,
  schema: JsonSchema,
  dialect: SchemaDialect,
  label: string,
): ExampleTarget[] {
  const holder = getAtPointer(file.value, pointer);
  if (!isObject(holder)) return [];
  const targets: ExampleTarget[] = [];
  if ('example' in holder) {
    const at = joinPointer(pointer, 'example');
    targets.push({ file, pointer: at, value: holder.example, schema, dialect, label: `example of ${label}` });
  }
  const examples = isObject(holder.examples) ? holder.examples : {};
  for (const key of Object.keys(examples)) {
    const example = followRefs(workspace, file, joinPointer(pointer, 'examples', key));
    // `externalValue` names a file or URL evtgen does not fetch: nothing to check here.
    if (!example || !isObject(example.value) || !('value' in example.value)) continue;
    targets.push({
      file: example.file,
      pointer: joinPointer(example.pointer, 'value'),
      value: example.value.value,
      schema,
      dialect,
      label: `example ${JSON.stringify(key)} of ${label}`,
    });
  }
  return targets;
}
