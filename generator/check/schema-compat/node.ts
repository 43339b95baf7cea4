import { isObject, joinPointer } from '../../load/json-pointer.js';
import type { SourceFile } from '../../load/source-file.js';
import type { SchemaDialect } from '../../model/contract.js';

/**
 * A schema as found in a spec file: its location (so every finding has file:line:col in the new
 * spec) and its value. `value` may be synthetic (a normalized form of the value at `pointer`).
 */
export interface SchemaNode {
  readonly file: SourceFile;
  readonly pointer: string;
  readonly value: unknown;
  /** Marks a synthetic node (e.g. the `null` branch of a nullable), so memo keys stay distinct. */
  readonly tag?: string;
}

/** How schemas of one document are read: the dialect its validators use and `$ref` resolution. */
export interface SchemaContext {
  readonly dialect: SchemaDialect;
  /** OpenAPI 3.0 schema object: `nullable` and boolean `exclusiveMinimum/Maximum`. */
  readonly openapi30: boolean;
  /** The target of `ref` written at `at` in `file`, or undefined when it cannot be resolved. */
  readonly resolve: (file: SourceFile, ref: string, at: string) => SchemaNode | undefined;
}

/** A schema after `$ref` chains, nullable spellings and single-branch wrappers are normalized. */
export interface SchemaView {
  /** Where the keywords live: child pointers are `loc.pointer + /keyword/...`. */
  readonly loc: SchemaNode;
  readonly schema: Readonly<Record<string, unknown>> | boolean;
  /** Extra conjuncts: the target of a `$ref` that has sibling keywords. */
  readonly conjuncts: readonly SchemaNode[];
}

/** Keywords that never change what an instance must look like. */
export const annotationKeywords = new Set([
  'title',
  'description',
  'default',
  'examples',
  'example',
  '$id',
  'id',
  '$schema',
  '$comment',
  '$anchor',
  'deprecated',
  'readOnly',
  'writeOnly',
  'definitions',
  '$defs',
  'xml',
  'externalDocs',
  'discriminator',
  'contentMediaType',
  'contentEncoding',
  'contentSchema',
]);

export function isAnnotation(keyword: string): boolean {
  return annotationKeywords.has(keyword) || keyword.startsWith('x-');
}

/** Where the values of synthetic (merged) schemas came from, so findings point at the spec. */
const origins = new WeakMap<object, SchemaNode>();

/** Records that `value` (placed inside a synthetic schema) is the schema at `node`. */
export function remember(value: unknown, node: SchemaNode): void {
  if (typeof value === 'object' && value !== null && !origins.has(value)) origins.set(value, node);
}

/** The node a value placed inside a synthetic schema came from (see `remember`), if any. */
export function originOf(value: unknown): SchemaNode | undefined {
  const origin = typeof value === 'object' && value !== null ? origins.get(value) : undefined;
  return origin && origin.value === value ? origin : undefined;
}

/** Children already made, per parent node and path below it: one node (and memo key) per place. */
const children = new WeakMap<SchemaNode, Map<string, SchemaNode>>();

export function child(node: SchemaNode, ...segments: (string | number)[]): SchemaNode {
  let value: unknown = node.value;
  for (const s of segments) {
    value = Array.isArray(value)
      ? value[Number(s)]
      : isObject(value) && Object.hasOwn(value, String(s))
        ? value[String(s)]
        : undefined;
  }
  const origin = originOf(value);
  if (origin) return origin;
  let made = children.get(node);
  if (!made) {
    made = new Map();
    children.set(node, made);
  }
  const path = segments.length === 1 ? String(segments[0]) : segments.join('\u0000');
  let out = made.get(path);
  if (!out) {
    out = { file: node.file, pointer: joinPointer(node.pointer, ...segments), value };
    made.set(path, out);
  }
  return out;
}

/** A node whose value is given (synthetic), located at `at`. */
export function synthetic(at: SchemaNode, value: unknown, tag: string): SchemaNode {
  return { file: at.file, pointer: at.pointer, value, tag: `${at.tag ?? ''}${tag}` };
}

const keyIds = new Map<string, number>();
const nodeIds = new WeakMap<SchemaNode, number>();

/** A number per node location (and synthetic tag), interned: the same place, the same number. */
export function nodeId(node: SchemaNode): number {
  let id = nodeIds.get(node);
  if (id === undefined) {
    const key = `${node.file.path}#${node.pointer}${node.tag ? `#${node.tag}` : ''}`;
    id = keyIds.get(key);
    if (id === undefined) {
      id = keyIds.size;
      keyIds.set(key, id);
    }
    nodeIds.set(node, id);
  }
  return id;
}

/** A short identity of a node's location (and synthetic tag), interned: memo keys stay small. */
export function nodeKey(node: SchemaNode): string {
  return String(nodeId(node));
}

/** Below this many node ids, a pair of them and a role pack exactly into one safe integer. */
const packedIds = 2 ** 25;

/**
 * The identity of a pair compared under a role: the subset engine's memo and pending key. A number
 * (no string is built: the engine asks ~150,000 times on GitHub's description), a string only past
 * 2^25 node ids, where the packing would no longer be exact.
 */
export function pairKey(a: SchemaNode, b: SchemaNode, role: string): number | string {
  const x = nodeId(a);
  const y = nodeId(b);
  if (x >= packedIds || y >= packedIds) return `${role}|${x}|${y}`;
  return (x * packedIds + y) * 2 + (role === 'bwd' ? 0 : 1);
}

const NULL_SCHEMA = { type: 'null' };

/**
 * Normalizes a node for comparison:
 * - a `$ref` with only annotations beside it is replaced by its target (refactors that resolve to
 *   the same schema compare equal); with constraint siblings the target becomes a conjunct;
 * - OpenAPI 3.0 `nullable: true` adds `null` to `type` (and `enum`), as the generator rewrites it;
 * - `oneOf`/`anyOf: [X, {type: 'null'}]` and 3.0 `nullable` without `type` become X plus `null`
 *   when X has explicit types (the three spellings of nullable compare equal);
 * - `allOf: [X]` alone is X.
 */
export function viewOf(start: SchemaNode, ctx: SchemaContext): SchemaView {
  // A node reads the same every time in one context: its view is made once.
  let byCtx = views.get(start);
  if (!byCtx) {
    byCtx = new WeakMap();
    views.set(start, byCtx);
  }
  let view = byCtx.get(ctx);
  if (!view) {
    view = makeView(start, ctx);
    byCtx.set(ctx, view);
  }
  return view;
}

const views = new WeakMap<SchemaNode, WeakMap<SchemaContext, SchemaView>>();

function makeView(start: SchemaNode, ctx: SchemaContext): SchemaView {
  let node = start;
  for (let hops = 0; hops < 64; hops++) {
    const value = node.value;
    if (typeof value === 'boolean') return { loc: node, schema: value, conjuncts: [] };
    if (!isObject(value)) return { loc: node, schema: true, conjuncts: [] };
    let schema: Record<string, unknown> = value;
    if (ctx.openapi30) schema = fromOpenApi30Bounds(schema);
    const nullable30 = ctx.openapi30 && schema.nullable === true;
    if ('nullable' in schema && ctx.openapi30) {
      schema = { ...schema };
      delete schema.nullable;
    }
    const constraintKeys = Object.keys(schema).filter((k) => !isAnnotation(k));
    if (typeof schema.$ref === 'string') {
      const target = ctx.resolve(node.file, schema.$ref, node.pointer);
      if (!target) return { loc: node, schema: true, conjuncts: [] };
      if (constraintKeys.length === 1 && !nullable30) {
        node = target;
        continue;
      }
      const rest = { ...schema };
      delete rest.$ref;
      if (constraintKeys.length === 1) return nullableOf(node, viewOf(target, ctx), ctx);
      const base: SchemaView = { loc: synthetic(node, rest, '&'), schema: rest, conjuncts: [target] };
      return nullable30 ? addNullToTypes(base) : base;
    }
    if (nullable30) {
      if (schema.type !== undefined) return addNullToTypes({ loc: node, schema, conjuncts: [] });
      return nullableOf(node, { loc: synthetic(node, schema, '?'), schema, conjuncts: [] }, ctx);
    }
    if (constraintKeys.length === 1) {
      const [only] = constraintKeys;
      const list = only === undefined ? undefined : schema[only];
      if (only === 'allOf' && Array.isArray(list) && list.length === 1) {
        node = child(node, 'allOf', 0);
        continue;
      }
      if ((only === 'oneOf' || only === 'anyOf') && Array.isArray(list) && list.length === 2) {
        const nullAt = list.findIndex((b) => isObject(b) && b.type === 'null' && Object.keys(b).length === 1);
        if (nullAt !== -1) {
          const other = child(node, only, 1 - nullAt);
          const otherView = viewOf(other, ctx);
          // oneOf rejects null when the other branch accepts it too: fold only when it does not.
          const folded = only === 'oneOf' && acceptsNull(otherView) ? undefined : foldNull(otherView);
          if (folded) return folded;
        }
      }
    }
    return { loc: node, schema, conjuncts: [] };
  }
  return { loc: node, schema: true, conjuncts: [] };
}

/** A view that accepts every instance: `true`, or only annotations, without conjuncts. */
export function acceptsAnything(view: SchemaView): boolean {
  if (view.conjuncts.length > 0) return false;
  if (typeof view.schema === 'boolean') return view.schema;
  return Object.keys(view.schema).every(isAnnotation);
}

/**
 * "Anything" at `at`, below a schema `parent`: `parent` itself when it already accepts anything, so
 * a recursive target compared with it meets the same pair again instead of a new, deeper pointer.
 */
export function anythingAt(parent: SchemaView, at: SchemaNode): SchemaNode {
  return acceptsAnything(parent) ? parent.loc : synthetic(at, true, '#any');
}

/** Whether a plain typed view may accept null (conservative: true when unsure). */
function acceptsNull(view: SchemaView): boolean {
  const s = view.schema;
  if (typeof s === 'boolean') return s;
  const t = typesOf(s);
  if (!t || t.has('null')) return true;
  return false;
}

/** `view` or null: folded into `type`/`enum` when possible, else a two-branch `anyOf`. */
function nullableOf(at: SchemaNode, view: SchemaView, _ctx: SchemaContext): SchemaView {
  const folded = foldNull(view);
  if (folded) return folded;
  const union = { anyOf: [view.loc.value, NULL_SCHEMA] };
  return { loc: synthetic(at, union, '|null'), schema: union, conjuncts: [] };
}

/** X with `null` added to its explicit types, when X is a plain typed schema; else undefined. */
function foldNull(view: SchemaView): SchemaView | undefined {
  const s = view.schema;
  if (typeof s === 'boolean' || view.conjuncts.length > 0) return undefined;
  if (s.type === undefined) return undefined;
  if (['allOf', 'anyOf', 'oneOf', 'not', 'if'].some((k) => k in s)) return undefined;
  return addNullToTypes(view);
}

function addNullToTypes(view: SchemaView): SchemaView {
  const s = view.schema as Record<string, unknown>;
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type : undefined;
  const out: Record<string, unknown> = { ...s };
  if (types && !types.includes('null')) out.type = [...types, 'null'];
  if (Array.isArray(s.enum) && !s.enum.includes(null)) out.enum = [...s.enum, null];
  if ('const' in s && s.const !== null) {
    out.enum = [s.const, null];
    delete out.const;
  }
  return { loc: synthetic(view.loc, out, '+null'), schema: out, conjuncts: view.conjuncts };
}

/** OpenAPI 3.0's boolean `exclusiveMinimum/Maximum` as JSON Schema's numeric form. */
function fromOpenApi30Bounds(schema: Record<string, unknown>): Record<string, unknown> {
  if (typeof schema.exclusiveMinimum !== 'boolean' && typeof schema.exclusiveMaximum !== 'boolean')
    return schema;
  const out = { ...schema };
  for (const [bound, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else if (typeof out[exclusive] === 'boolean') delete out[exclusive];
  }
  return out;
}

/** Types a view accepts: undefined means every type. `integer` is kept apart from `number`. */
export function typesOf(schema: Readonly<Record<string, unknown>>): Set<string> | undefined {
  const t = schema.type;
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.filter((x): x is string => typeof x === 'string'));
  return undefined;
}

export const allTypes = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'] as const;

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b as object, k) &&
      jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

const refFree = new WeakMap<object, boolean>();

/** True when no `$ref` occurs anywhere inside `value` (cached per object). */
export function hasNoRef(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const known = refFree.get(value);
  if (known !== undefined) return known;
  let result = true;
  if (Array.isArray(value)) result = value.every(hasNoRef);
  else {
    for (const [k, v] of Object.entries(value)) {
      if ((k === '$ref' && typeof v === 'string') || !hasNoRef(v)) {
        result = false;
        break;
      }
    }
  }
  refFree.set(value, result);
  return result;
}
