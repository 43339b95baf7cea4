// Disjointness of two schemas (no instance satisfies both), provable cases only: what lets the
// subset engine tell `oneOf` branches apart and pick the branch that explains a change.

import { isObject } from '../../../load/json-pointer.js';
import { child, type SchemaContext, type SchemaNode, typesOf, viewOf } from '../node.js';
import { accepts } from '../values.js';
import { overlapsType } from './types.js';

/**
 * True when no instance can satisfy both x and y (provable cases only): disjoint types, disjoint
 * literal sets, or a property required by both with disjoint schemas (a discriminator).
 */
export function disjoint(
  x: SchemaNode,
  cx: SchemaContext,
  y: SchemaNode,
  cy: SchemaContext,
  depth = 0,
): boolean {
  if (depth > 8) return false;
  const X = viewOf(x, cx);
  const Y = viewOf(y, cy);
  if (X.schema === false || Y.schema === false) return true;
  if (X.schema === true || Y.schema === true) return false;
  const sx = X.schema;
  const sy = Y.schema;
  const tx = typesOf(sx);
  const ty = typesOf(sy);
  if (tx && ty && ![...tx].some((t) => overlapsType(t, ty))) return true;
  const xv = 'const' in sx ? [sx.const] : Array.isArray(sx.enum) ? sx.enum : undefined;
  const yv = 'const' in sy ? [sy.const] : Array.isArray(sy.enum) ? sy.enum : undefined;
  if (xv?.every((v) => accepts(Y.loc, v, cy) === false)) return true;
  if (yv?.every((v) => accepts(X.loc, v, cx) === false)) return true;
  const xReq = Array.isArray(sx.required) ? sx.required.map(String) : [];
  const yReq = new Set(Array.isArray(sy.required) ? sy.required.map(String) : []);
  const xProps = isObject(sx.properties) ? sx.properties : {};
  const yProps = isObject(sy.properties) ? sy.properties : {};
  const bothObjects = tx?.has('object') && ty?.has('object') && tx.size === 1 && ty.size === 1;
  if (bothObjects) {
    for (const p of xReq) {
      if (yReq.has(p) && Object.hasOwn(xProps, p) && Object.hasOwn(yProps, p)) {
        if (disjoint(child(X.loc, 'properties', p), cx, child(Y.loc, 'properties', p), cy, depth + 1))
          return true;
      }
    }
  }
  return false;
}
