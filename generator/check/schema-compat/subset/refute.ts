// A cheap look at a pair that tells, without the full check, that the full check would explain at
// least one way a ⊄ b: what lets a union find the branch that takes a source without comparing it
// in depth with every branch before that one. Each case follows the path the full check takes
// (../subset.ts `decide`, ./combinators.ts, ./keywords.ts) and the reason it is sure to give there.

import { child, type SchemaNode, synthetic, viewOf } from '../node.js';
import { accepts } from '../values.js';
import { mergeNodes } from './merge.js';
import type { Recursion, Role } from './pass.js';
import { acceptsType, effectiveTypes } from './types.js';

const combinators = ['allOf', 'anyOf', 'oneOf'];

/** How far the look goes down (allOf members, merged conjunctions, properties). */
const maxDepth = 6;

/**
 * True only when `checker.check(a, b, role)` would return a reason. A pair under comparison further
 * up is assumed to hold by the full check: never refuted here. Otherwise, with `b` free of
 * combinators unless noted:
 * - b has only `allOf`: a member of it refutes a (the full check compares a with each member);
 * - a has `allOf` (or `$ref` conjuncts): its merge refutes b, or, when it does not merge, every
 *   part of it does (the full check then needs one part that implies b);
 * - a has literals: one of them that a admits and b does not surely admit (an enum/type reason);
 * - both plain: a admits a type b does not (the `type` reason) or, both admitting objects, b
 *   requires a property a does not (the `required` reason) or a property of both is refuted.
 */
export function refuted(checker: Recursion, a: SchemaNode, b: SchemaNode, role: Role, depth = 0): boolean {
  if (depth > maxDepth || checker.underway(a, b, role)) return false;
  const ca = checker.ctx('a', role);
  const cb = checker.ctx('b', role);
  const A = viewOf(a, ca);
  const B = viewOf(b, cb);
  if (typeof A.schema === 'boolean' || typeof B.schema === 'boolean') return false;
  const sa = A.schema;
  const sb = B.schema;
  if (B.conjuncts.length > 0 || combinators.some((k) => k in sb)) {
    if (B.conjuncts.length > 0 || 'anyOf' in sb || 'oneOf' in sb || !Array.isArray(sb.allOf)) return false;
    for (let i = 0; i < sb.allOf.length; i++)
      if (refuted(checker, a, child(B.loc, 'allOf', i), role, depth + 1)) return true;
    return false;
  }
  if (Array.isArray(sa.anyOf) || Array.isArray(sa.oneOf)) return false;
  if (A.conjuncts.length > 0 || Array.isArray(sa.allOf)) {
    const parts = [
      ...(Array.isArray(sa.allOf) ? sa.allOf.map((_, i) => child(A.loc, 'allOf', i)) : []),
      ...A.conjuncts,
    ];
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sa)) if (k !== 'allOf') rest[k] = v;
    const restNode = synthetic(A.loc, rest, '#rest');
    const merged = mergeNodes([restNode, ...parts], ca);
    if (merged) return refuted(checker, merged, b, role, depth + 1);
    return [restNode, ...parts].every((part) => refuted(checker, part, b, role, depth + 1));
  }
  if (combinators.some((k) => k in sa)) return false;
  const aValues = 'const' in sa ? [sa.const] : Array.isArray(sa.enum) ? sa.enum : undefined;
  if (aValues) return aValues.some((v) => accepts(A.loc, v, ca) !== false && accepts(B.loc, v, cb) !== true);
  if ('const' in sb || Array.isArray(sb.enum)) return false;
  const ta = effectiveTypes(sa);
  const tb = effectiveTypes(sb);
  for (const t of ta) if (!acceptsType(tb, t)) return true;
  if (!ta.has('object') || !acceptsType(tb, 'object')) return false;
  const aReq = new Set(Array.isArray(sa.required) ? sa.required.map(String) : []);
  if (Array.isArray(sb.required) && sb.required.some((r) => !aReq.has(String(r)))) return true;
  const aProps = isMap(sa.properties) ? sa.properties : {};
  const bProps = isMap(sb.properties) ? sb.properties : {};
  for (const name of Object.keys(bProps)) {
    if (!Object.hasOwn(aProps, name)) continue;
    const aProp = child(A.loc, 'properties', name);
    const bProp = child(B.loc, 'properties', name);
    if (refuted(checker, aProp, bProp, role, depth + 1)) return true;
  }
  return false;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
