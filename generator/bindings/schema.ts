import { isObject } from '../load/json-pointer.js';
import { toTypeName } from '../model/naming.js';
import type { BindingSubject } from './subjects.js';

type Schema = Record<string, unknown>;

/** The type names of one event type's bindings, all from evtgen's naming pass. */
export interface EventNames {
  /** `OrderPlaced`: the detail-type as a type name; file and package names derive from it. */
  readonly base: string;
  /** `OrderPlacedEnvelope`: the whole EventBridge event. */
  readonly envelope: string;
  /** `OrderPlacedDetail`: `detail`, i.e. `{metadata, data}`. */
  readonly detail: string;
}

export function eventNames(s: BindingSubject): EventNames {
  const base = toTypeName(s.detailType) || 'Event';
  const title = typeof s.schema.title === 'string' ? s.schema.title : `${base}Detail`;
  return { base, envelope: `${base}Envelope`, detail: title };
}

/**
 * The schema handed to Modelina: the EventBridge envelope around the registry's `detail` schema,
 * with a `title` on every schema that becomes a type. Modelina names a model after `title` first
 * (then `$id`, then a name it infers, which for inline schemas is `AnonymousSchema_N`-like), so
 * stamping titles is how evtgen's names reach every language: definitions keep the naming pass's
 * names, inline objects and enums are named after their parent and property.
 */
export function modelinaInput(s: BindingSubject): Schema {
  const names = eventNames(s);
  const definitions: Record<string, unknown> = {};
  const source = isObject(s.schema.definitions) ? s.schema.definitions : {};
  for (const [name, def] of Object.entries(source)) definitions[name] = stamp(def, name, true);
  const { definitions: _d, $schema: _s, title: _t, ...detail } = s.schema;
  definitions[names.detail] = stamp(detail, names.detail, true);
  const text = (description: string) => ({ type: 'string', description: commentSafe(description) });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: names.envelope,
    description: commentSafe(`The ${s.detailType} event as EventBridge delivers it (source ${s.source}).`),
    type: 'object',
    additionalProperties: false,
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: text('EventBridge envelope version, "0".'),
      id: text("EventBridge's id of this delivery (not the producer's event id: see detail.eventId)."),
      'detail-type': text(`Always "${s.detailType}".`),
      source: text(`Always "${s.source}".`),
      account: text('The AWS account the event was put in.'),
      time: { type: 'string', format: 'date-time', description: 'When EventBridge received the event.' },
      region: text('The AWS region of the bus.'),
      resources: { type: 'array', items: { type: 'string' }, description: 'ARNs the event concerns.' },
      detail: { $ref: `#/definitions/${names.detail}` },
    },
    definitions,
  };
}

/** Titles every object and enum schema below `name`; `titled` when `name` is already a type name. */
function stamp(node: unknown, name: string, titled: boolean): unknown {
  if (!isObject(node)) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([prop, sub]) => [
          prop,
          stamp(sub, name + (toTypeName(prop) || 'Value'), false),
        ]),
      );
    } else if (key === 'items') {
      out.items = stamp(value, `${name}Item`, false);
    } else if (key === 'additionalProperties' && isObject(value)) {
      out.additionalProperties = stamp(value, `${name}Value`, false);
    } else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') {
      out[key] = Array.isArray(value)
        ? value.map((v, i) => stamp(v, `${name}${key[0]?.toUpperCase()}${key.slice(1)}${i}`, false))
        : value;
    } else if (key === 'description' && typeof value === 'string') {
      out.description = commentSafe(value);
    } else if (key !== 'title' && key !== 'examples') {
      // Examples are dropped: Modelina prints them as `[object Object]` in some languages.
      out[key] = value;
    }
  }
  const named = titled || out.properties !== undefined || out.enum !== undefined || out.oneOf !== undefined;
  if (named && out.$ref === undefined) out.title = name;
  return out;
}

/**
 * Paths (`['detail', 'data', 'orderId']`) of the properties an event must have, following required
 * properties through objects (not arrays or unions): what helpers of languages whose JSON mappers
 * do not check presence (Java's Jackson, TypeScript's JSON.parse) verify before handing out a value.
 */
export function requiredPaths(input: Schema): string[][] {
  const defs = isObject(input.definitions) ? input.definitions : {};
  const out: string[][] = [];
  const visit = (node: unknown, path: readonly string[], seen: ReadonlySet<string>) => {
    let schema = node;
    let ref = '';
    while (isObject(schema) && typeof schema.$ref === 'string') {
      ref = schema.$ref.replace('#/definitions/', '');
      if (seen.has(ref)) return;
      schema = defs[ref];
    }
    if (!isObject(schema) || !isObject(schema.properties) || !Array.isArray(schema.required)) return;
    const next = ref ? new Set([...seen, ref]) : seen;
    for (const key of [...schema.required].filter((k): k is string => typeof k === 'string').sort()) {
      const p = [...path, key];
      out.push(p);
      visit(schema.properties[key], p, next);
    }
  };
  visit(input, [], new Set());
  return out;
}

/**
 * Spec text made safe in every language's doc comment before Modelina prints it (its description
 * presets copy it verbatim): Markdown's backslash escape for a backslash (which also keeps Java from
 * reading `\u` as a Unicode escape) and for the star-slash that would end a block comment; the
 * Unicode line and paragraph separators become line breaks (JavaScript ends a line at them).
 */
export function commentSafe(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\*\//g, '*\\/')
    .replace(/[\u2028\u2029]/g, '\n');
}
