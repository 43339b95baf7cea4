// Keywords the subset engine does not reason about (`not`, conditionals, `contains`,
// `propertyNames`, `unevaluatedItems`, dynamic references…): a change to one is reported as
// undecided, never as compatible. Tuples (./arrays.ts) and dependencies (./dependencies.ts) are decided.

import { child, hasNoRef, jsonEqual, type SchemaView } from '../node.js';
import type { Pass, Reason, Schema } from './pass.js';

const units07 = ['not', 'if', 'then', 'else', 'contains', 'propertyNames'];
const units2020 = [
  ...units07,
  'unevaluatedItems',
  'minContains',
  'maxContains',
  '$dynamicRef',
  '$recursiveRef',
];

/**
 * Each such keyword of b (in b's dialect) must be the same in a, word for word; a changed `not` is
 * decided when b's negated schema is a subset of a's (the check flips direction).
 */
export function undecidedKeywords(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  const reasons: Reason[] = [];
  const units = p.cb.dialect === '2020-12' ? units2020 : units07;
  for (const unit of units) {
    if (!(unit in sb)) continue;
    if (unit in sa && hasNoRef(sa[unit]) && hasNoRef(sb[unit]) && jsonEqual(sa[unit], sb[unit])) continue;
    if (unit === 'not' && 'not' in sa) {
      if (p.checker.check(child(B.loc, 'not'), child(A.loc, 'not'), p.flipped).length === 0) continue;
    }
    reasons.push(p.undecided(A, B, unit));
  }
  return reasons;
}
