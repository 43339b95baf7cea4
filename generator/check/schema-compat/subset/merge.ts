// Conjunctions in the subset engine: several schemas (allOf members, $ref conjuncts, a union
// branch and the rest of its schema) merged into one equivalent schema when that is a simple merge.

import { isObject } from '../../../load/json-pointer.js';
import {
  child,
  hasNoRef,
  isAnnotation,
  jsonEqual,
  nodeKey,
  remember,
  type SchemaContext,
  type SchemaNode,
  synthetic,
  typesOf,
  viewOf,
} from '../node.js';
import { asSchema, type Schema } from './pass.js';

/** `{allOf: nodes}` located at `at`, each member keeping its own location. */
export function conjunction(at: SchemaNode, nodes: SchemaNode[]): SchemaNode {
  const values = nodes.map((n) => {
    const v =
      typeof n.value === 'object' && n.value !== null ? n.value : n.value === false ? { not: {} } : {};
    if (typeof v === 'object') remember(v, n);
    return v;
  });
  return synthetic(at, { allOf: values }, `#and(${nodes.map(nodeKey).join(',')})`);
}

const mergeable = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'items',
  'minProperties',
  'maxProperties',
  'enum',
  'const',
]);

/**
 * The conjunction of plain schemas as one equivalent schema (properties of each member keep their
 * locations), or undefined when the members use keywords whose conjunction is not a simple merge.
 */
export function mergeNodes(nodes: SchemaNode[], ctx: SchemaContext): SchemaNode | undefined {
  // Nodes with the same keys hold the same schemas (the memo relies on it): merged once per context.
  let known = merges.get(ctx);
  if (!known) {
    known = new Map();
    merges.set(ctx, known);
  }
  const key = nodes.map(nodeKey).join(',');
  if (known.has(key)) return known.get(key);
  const merged = merge(nodes, ctx);
  known.set(key, merged);
  return merged;
}

const merges = new WeakMap<SchemaContext, Map<string, SchemaNode | undefined>>();

function merge(nodes: SchemaNode[], ctx: SchemaContext): SchemaNode | undefined {
  const views = nodes.map((n) => viewOf(n, ctx));
  if (views.some((v) => v.conjuncts.length > 0)) return undefined;
  if (views.some((v) => v.schema === false))
    return synthetic(nodes[0] as SchemaNode, false, `#merged(${nodes.map(nodeKey).join(',')})`);
  const schemas = views.map((v) => asSchema(v.schema));
  for (const s of schemas) {
    for (const k of Object.keys(s)) if (!isAnnotation(k) && !mergeable.has(k)) return undefined;
    if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') return undefined;
  }
  const out: Record<string, unknown> = {};
  // types: intersection
  const typed = schemas.map(typesOf).filter((t): t is Set<string> => t !== undefined);
  if (typed.length > 0) {
    let acc = typed[0] as Set<string>;
    for (const t of typed.slice(1)) {
      acc = new Set(
        [...acc].flatMap((x) =>
          t.has(x)
            ? [x]
            : x === 'number' && t.has('integer')
              ? ['integer']
              : x === 'integer' && t.has('number')
                ? ['integer']
                : [],
        ),
      );
    }
    out.type = [...acc];
  }
  for (const k of mergeable) {
    if (k === 'type' || k === 'properties' || k === 'required' || k === 'additionalProperties') continue;
    const present = schemas.filter((s) => k in s).map((s) => s[k]);
    if (present.length === 0) continue;
    if (present.length > 1 && !present.every((v) => hasNoRef(v) && jsonEqual(v, present[0])))
      return undefined;
    out[k] = present[0];
    if (k === 'items') {
      const i = schemas.findIndex((s) => k in s);
      remember(present[0], child(views[i]?.loc as SchemaNode, 'items'));
    }
  }
  const required = new Set<string>();
  for (const s of schemas) if (Array.isArray(s.required)) for (const r of s.required) required.add(String(r));
  if (required.size > 0) out.required = [...required];
  const names = new Set<string>();
  for (const s of schemas)
    if (isObject(s.properties)) for (const p of Object.keys(s.properties)) names.add(p);
  if (names.size > 0) {
    const props: Record<string, unknown> = {};
    for (const p of names) {
      const parts: SchemaNode[] = [];
      views.forEach((v, i) => {
        const s = schemas[i] as Schema;
        if (isObject(s.properties) && Object.hasOwn(s.properties, p))
          parts.push(child(v.loc, 'properties', p));
        else if (s.additionalProperties === false) parts.push(child(v.loc, 'additionalProperties'));
      });
      const [first] = parts;
      if (parts.length === 1 && first && typeof first.value === 'object' && first.value !== null) {
        remember(first.value, first);
        props[p] = first.value;
      } else if (parts.length === 1 && first) props[p] = first.value;
      else {
        const conj = conjunction(first as SchemaNode, parts);
        props[p] = conj.value;
      }
    }
    out.properties = props;
  }
  if (schemas.some((s) => s.additionalProperties === false)) out.additionalProperties = false;
  return synthetic(views[0]?.loc as SchemaNode, out, `#merged(${nodes.map(nodeKey).join(',')})`);
}
