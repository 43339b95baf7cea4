import { isObject, joinPointer } from '../load/json-pointer.js';
import type { JsonSchema, SchemaDialect } from './contract.js';

/** Keywords draft-07 and 2020-12 read differently: a schema using one is not the same in both. */
const dialectSensitive = new Set([
  'items',
  'additionalItems',
  'prefixItems',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  '$dynamicRef',
  '$recursiveRef',
]);

/**
 * Where two converted schemas (refs already in bundle form, `#/definitions/<Name>`) differ: the
 * first differing pointer with both values, or undefined when they are the same schema.
 */
export function schemaDifference(
  a: { schema: JsonSchema; dialect: SchemaDialect },
  b: { schema: JsonSchema; dialect: SchemaDialect },
): { pointer: string; a: unknown; b: unknown } | undefined {
  const diff = firstDifference(a.schema, b.schema, '');
  if (diff) return diff;
  if (a.dialect !== b.dialect && usesAny(a.schema, dialectSensitive))
    return { pointer: '', a: `read as ${a.dialect}`, b: `read as ${b.dialect}` };
  return undefined;
}

type Difference = { pointer: string; a: unknown; b: unknown };

/** Keywords that describe but never constrain: two schemas differing only in them are one type. */
const annotations = new Set([
  'title',
  'description',
  'example',
  'examples',
  '$comment',
  'externalDocs',
  'xml',
]);
const schemaValued = new Set([
  'additionalProperties',
  'additionalItems',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'not',
  'unevaluatedProperties',
  'unevaluatedItems',
  'items',
]);
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const schemaMaps = new Set(['properties', 'patternProperties', 'dependentSchemas', 'definitions', '$defs']);

/** The first difference of two schemas, annotations (and `x-` extensions) left out. */
function firstDifference(a: unknown, b: unknown, pointer: string): Difference | undefined {
  if (!isObject(a) || !isObject(b)) return jsonDifference(a, b, pointer);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => !annotations.has(k) && !k.startsWith('x-'))
    .sort();
  for (const key of keys) {
    const at = joinPointer(pointer, key);
    const [x, y] = [a[key], b[key]];
    let d: Difference | undefined;
    if (schemaLists.has(key) && Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) d = { pointer: at, a: `${x.length} schemas`, b: `${y.length} schemas` };
      for (let i = 0; !d && i < x.length; i++) d = firstDifference(x[i], y[i], joinPointer(at, i));
    } else if (schemaMaps.has(key) && isObject(x) && isObject(y)) {
      for (const name of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
        d = firstDifference(x[name], y[name], joinPointer(at, name));
        if (d) break;
      }
    } else if (schemaValued.has(key)) d = firstDifference(x, y, at);
    else d = jsonDifference(x, y, at);
    if (d) return d;
  }
  return undefined;
}

/** The first difference of two plain JSON values. */
function jsonDifference(a: unknown, b: unknown, pointer: string): Difference | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return { pointer, a, b };
    for (let i = 0; i < a.length; i++) {
      const d = jsonDifference(a[i], b[i], joinPointer(pointer, i));
      if (d) return { pointer, a, b };
    }
    return undefined;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = jsonDifference(a[key], b[key], joinPointer(pointer, key));
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : { pointer, a, b };
}

function usesAny(value: unknown, keywords: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((v) => usesAny(v, keywords));
  if (!isObject(value)) return false;
  return Object.entries(value).some(([k, v]) => keywords.has(k) || usesAny(v, keywords));
}

/** How a value reads in a message: `(absent)` for undefined, JSON otherwise. */
export function shown(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}
