import type { ContractModel, EventType, JsonSchema, NamedSchema, SchemaDialect } from '../model/contract.js';
import { eventDetailSchema } from './event-detail.js';

/**
 * An event type as the EventBridge Schema Registry stores it: type `JSONSchemaDraft4`, the content
 * being the whole EventBridge event (the form AWS schema discovery produces) with `detail` =
 * `{metadata, data}` and every schema it references converted to draft 4 without changing what
 * validates. What draft 4 cannot express is listed in `notes` (the stored schema is then looser,
 * never stricter). Used by the CDK app (AWS::EventSchemas::Schema) and `evtgen registry push`.
 */
export interface RegistryContent {
  /** `{source}@{DetailType}`: the registry's schema name (and the evtgen registry subject). */
  readonly name: string;
  readonly type: 'JSONSchemaDraft4';
  readonly content: Record<string, unknown>;
  /** What could not be converted, each with its JSON pointer in the converted schema. */
  readonly notes: readonly string[];
}

export function registrySchemaName(event: EventType): string {
  return `${event.source}@${event.detailType}`;
}

/**
 * The named schemas an event's payload and metadata reach through `$ref`s, themselves included, in
 * the order they are found: what a self-contained copy of the event's schema must carry.
 */
export function reachableSchemas(model: ContractModel, event: EventType): NamedSchema[] {
  const byName = new Map(model.schemas.map((s) => [s.name, s]));
  const found = new Map<string, NamedSchema>();
  const pending = [event.names.payload, ...(event.names.metadata ? [event.names.metadata] : [])];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    const named = found.has(name) ? undefined : byName.get(name);
    if (!named) continue;
    found.set(name, named);
    pending.push(...referencedNames(named.schema));
  }
  return [...found.values()];
}

export function eventRegistryContent(model: ContractModel, event: EventType): RegistryContent {
  const notes: string[] = [];
  // Only the schemas this event reaches, in name order (below): the content is stable and minimal.
  const definitions: Record<string, unknown> = Object.fromEntries(
    reachableSchemas(model, event).map((named) => [
      named.name,
      toDraft4(named.schema, named.dialect, `#/definitions/${named.name}`, notes),
    ]),
  );
  const detailName = event.names.detail;
  definitions[detailName] = toDraft4(
    eventDetailSchema(event),
    'draft-07',
    `#/definitions/${detailName}`,
    notes,
  );
  const sorted = Object.fromEntries(
    Object.keys(definitions)
      .sort()
      .map((k) => [k, definitions[k]]),
  );
  return {
    name: registrySchemaName(event),
    type: 'JSONSchemaDraft4',
    content: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: event.names.event,
      ...((event.description ?? event.summary) ? { description: event.description ?? event.summary } : {}),
      type: 'object',
      required: [
        'detail-type',
        'resources',
        'id',
        'source',
        'time',
        'detail',
        'region',
        'version',
        'account',
      ],
      properties: {
        detail: { $ref: `#/definitions/${detailName}` },
        account: { type: 'string' },
        'detail-type': { type: 'string', enum: [event.detailType] },
        id: { type: 'string' },
        region: { type: 'string' },
        resources: { type: 'array', items: { type: 'string' } },
        source: { type: 'string', enum: [event.source] },
        time: { type: 'string', format: 'date-time' },
        version: { type: 'string' },
      },
      definitions: sorted,
      'x-amazon-events-source': event.source,
      'x-amazon-events-detail-type': event.detailType,
    },
    notes,
  };
}

export function referencedNames(schema: JsonSchema): string[] {
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const name = /^#\/definitions\/(.+)$/.exec(value)?.[1];
          if (name) names.push(decodeURIComponent(name));
        } else visit(value);
      }
    }
  };
  visit(schema);
  return names;
}

/** Keywords with no draft-4 meaning that only annotate: dropped without a note. */
const annotations = new Set([
  'examples',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
  '$schema',
  '$id',
  '$anchor',
]);

/** Keywords whose constraint draft 4 cannot express: dropped with a note (the result is looser). */
const inexpressible = new Set([
  'contains',
  'minContains',
  'maxContains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
  '$dynamicRef',
  '$recursiveRef',
]);

const subschemaMaps = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
]);
const subschemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const subschemaValues = new Set([
  'not',
  'additionalProperties',
  'items',
  'additionalItems',
  'if',
  'then',
  'else',
]);

/**
 * One schema, converted to draft 4. Exact where draft 4 can say the same thing: `const` → one-value
 * `enum`, numeric `exclusiveMinimum/Maximum` → `minimum` + boolean flag, `if/then/else` →
 * `anyOf [{allOf [if, then]}, {allOf [{not: if}, else]}]`, `dependentRequired/Schemas` →
 * `dependencies`, `prefixItems` → array `items`, boolean schemas → `{}` / `{not: {}}`, 2020-12 `$ref`
 * with siblings → `allOf`.
 */
export function toDraft4(
  schema: JsonSchema,
  dialect: SchemaDialect,
  pointer: string,
  notes: string[],
): unknown {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  const out: Record<string, unknown> = {};
  const convert = (value: unknown, at: string) => toDraft4(value as JsonSchema, dialect, at, notes);
  for (const [key, value] of Object.entries(schema)) {
    const at = `${pointer}/${key}`;
    if (annotations.has(key)) continue;
    if (inexpressible.has(key)) {
      notes.push(
        `${at}: \`${key}\` has no JSON Schema draft 4 equivalent; the registry schema does not check it.`,
      );
    } else if (key === 'const') out.enum = [value];
    else if (numericBound(schema, key)) {
      // Converted together with its pair below.
    } else if (subschemaMaps.has(key) && typeof value === 'object' && value !== null) {
      const target = key === '$defs' ? 'definitions' : key === 'dependentSchemas' ? 'dependencies' : key;
      const converted = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, convert(v, `${at}/${k}`)]),
      );
      out[target] = { ...(out[target] as object | undefined), ...converted };
    } else if (key === 'dependentRequired') {
      out.dependencies = { ...(out.dependencies as object | undefined), ...(value as object) };
    } else if (key === 'prefixItems' && Array.isArray(value)) {
      out.items = value.map((v, i) => convert(v, `${at}/${i}`));
      if ('items' in schema) out.additionalItems = convert(schema.items, `${pointer}/items`);
    } else if (key === 'items' && dialect === '2020-12' && 'prefixItems' in schema) {
      // Handled with prefixItems (2020-12 `items` is then draft 4's `additionalItems`).
    } else if (subschemaLists.has(key) && Array.isArray(value)) {
      out[key] = value.map((v, i) => convert(v, `${at}/${i}`));
    } else if (key === 'if' || key === 'then' || key === 'else') {
      // Converted as a whole below.
    } else if (subschemaValues.has(key)) {
      out[key] = Array.isArray(value) ? value.map((v, i) => convert(v, `${at}/${i}`)) : convert(value, at);
    } else out[key] = value;
  }
  for (const [inclusive, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    const limit = schema[exclusive];
    if (typeof limit !== 'number') continue;
    const other = schema[inclusive];
    const inclusiveTighter =
      typeof other === 'number' && (inclusive === 'minimum' ? other > limit : other < limit);
    out[inclusive] = inclusiveTighter ? other : limit;
    if (!inclusiveTighter) out[exclusive] = true;
  }
  if ('if' in schema) {
    const condition = convert(schema.if, `${pointer}/if`);
    const then = 'then' in schema ? convert(schema.then, `${pointer}/then`) : {};
    const otherwise = 'else' in schema ? convert(schema.else, `${pointer}/else`) : {};
    pushAllOf(out, { anyOf: [{ allOf: [condition, then] }, { allOf: [{ not: condition }, otherwise] }] });
  }
  // In 2020-12 keywords beside `$ref` apply too; in draft 4 (as in draft-07) they are ignored.
  if (dialect === '2020-12' && typeof out.$ref === 'string' && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }, rest] };
  }
  return out;
}

/** `minimum`/`maximum` and their numeric (draft 6+) exclusive forms, which convert as a pair. */
function numericBound(schema: Record<string, unknown>, key: string): boolean {
  if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') return typeof schema[key] === 'number';
  if (key === 'minimum') return typeof schema.exclusiveMinimum === 'number';
  if (key === 'maximum') return typeof schema.exclusiveMaximum === 'number';
  return false;
}

function pushAllOf(out: Record<string, unknown>, schema: unknown): void {
  out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), schema];
}
