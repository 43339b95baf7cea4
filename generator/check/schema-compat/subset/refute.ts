// A cheap look at the top-level keywords of a pair that tells, without the full check, that the
// full check would explain at least one way a ⊄ b: what lets a union find the branch that takes a
// source without comparing it in depth with every branch before that one.

import { type SchemaNode, viewOf } from '../node.js';
import type { Recursion, Role } from './pass.js';
import { acceptsType, effectiveTypes } from './types.js';

const combinators = ['allOf', 'anyOf', 'oneOf'];

/**
 * True only when `checker.check(a, b, role)` would return a reason: both plain schemas (no combinators, `$ref`
 * conjuncts or literals) where a admits a type b does not (the `type` reason) or, both admitting
 * objects, b requires a property a does not (the `required` reason). A pair under comparison
 * further up is assumed to hold by the full check: never refuted here.
 */
export function refuted(checker: Recursion, a: SchemaNode, b: SchemaNode, role: Role): boolean {
  if (checker.underway(a, b, role)) return false;
  const A = viewOf(a, checker.ctx('a', role));
  const B = viewOf(b, checker.ctx('b', role));
  if (typeof A.schema === 'boolean' || typeof B.schema === 'boolean') return false;
  if (A.conjuncts.length > 0 || B.conjuncts.length > 0) return false;
  const sa = A.schema;
  const sb = B.schema;
  for (const k of combinators) if (k in sa || k in sb) return false;
  if ('const' in sa || 'enum' in sa || 'const' in sb || 'enum' in sb) return false;
  const ta = effectiveTypes(sa);
  const tb = effectiveTypes(sb);
  for (const t of ta) if (!acceptsType(tb, t)) return true;
  if (!ta.has('object') || !acceptsType(tb, 'object') || !Array.isArray(sb.required)) return false;
  const aReq = new Set(Array.isArray(sa.required) ? sa.required.map(String) : []);
  return sb.required.some((r) => !aReq.has(String(r)));
}
