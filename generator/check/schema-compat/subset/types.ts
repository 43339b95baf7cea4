// Types and nullability in the subset engine: which JSON types a schema admits, and how a change of
// `type` (or of `nullable`, read as the `null` type) is named.

import { allTypes, type SchemaView, typesOf } from '../node.js';
import type { Pass, Reason, Schema } from './pass.js';

/** Every type a schema without enum admits ('integer' apart; 'number' includes integers). */
export function effectiveTypes(s: Schema): Set<string> {
  const t = typesOf(s);
  if (!t) return new Set(allTypes.filter((x) => x !== 'integer'));
  return t;
}

/** Does a schema of `types` accept values of type `t` (integers are numbers)? */
export function acceptsType(types: Set<string>, t: string): boolean {
  return types.has(t) || (t === 'integer' && types.has('number'));
}

/** Can a value of type `t` also be of one of the `other` types? */
export function overlapsType(t: string, other: Set<string>): boolean {
  if (other.has(t)) return true;
  if (t === 'integer') return other.has('number');
  if (t === 'number') return other.has('integer');
  return false;
}

/** `type` as written, for a reason's values. */
export function typeList(s: Schema): unknown {
  return s.type ?? 'any';
}

/** `type` as written, or what a boolean schema admits. */
export function describeTypes(view: SchemaView): unknown {
  return typeof view.schema === 'boolean' ? (view.schema ? 'any' : 'nothing') : typeList(view.schema);
}

/** The rule for a change from types `ta` to `tb` (a's and b's), named from old to new. */
export function typeRule(p: Pass, ta: Set<string>, tb: Set<string>): string {
  const [oldT, newT] = p.role === 'bwd' ? [ta, tb] : [tb, ta];
  const lost = [...oldT].filter((t) => !acceptsType(newT, t));
  const gained = [...newT].filter((t) => !acceptsType(oldT, t));
  if (lost.length === 0 && gained.length > 0)
    return gained.every((t) => t === 'null') ? 'nullable-added' : 'type-widened';
  if (gained.length === 0 && lost.length > 0)
    return lost.every((t) => t === 'null') ? 'nullable-removed' : 'type-narrowed';
  return 'type-changed';
}

/** Every type `a` admits (`ta`) must be one `b` admits (`tb`). */
export function types(
  p: Pass,
  A: SchemaView,
  B: SchemaView,
  sa: Schema,
  sb: Schema,
  ta: Set<string>,
  tb: Set<string>,
): Reason[] {
  const missing = [...ta].filter((t) => !acceptsType(tb, t));
  if (missing.length === 0) return [];
  return [
    p.reason(typeRule(p, ta, tb), A.loc, B.loc, {
      keyword: 'type',
      aValue: typeList(sa),
      bValue: typeList(sb),
    }),
  ];
}
