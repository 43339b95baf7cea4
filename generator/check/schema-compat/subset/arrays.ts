// Arrays and tuples in the subset engine: item counts, `uniqueItems`, the item schema; tuples
// (`items` as an array) are compared only when unchanged.

import { anythingAt, child, hasNoRef, jsonEqual, type SchemaView } from '../node.js';
import { bound, lengthBounds } from './bounds.js';
import type { Pass, Reason, Schema } from './pass.js';

/** a's arrays must meet b's item counts, uniqueness and item schema. */
export function arrays(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  const out = lengthBounds(p, A, B, sa, sb, ['minItems', 'maxItems']);
  if (
    sb.uniqueItems === true &&
    sa.uniqueItems !== true &&
    !(typeof sa.maxItems === 'number' && sa.maxItems <= 1)
  )
    out.push(...bound(p, A, B, 'uniqueItems', sa, sb, false));
  if (sb.items !== undefined && !Array.isArray(sb.items)) {
    const aItems =
      sa.items !== undefined && !Array.isArray(sa.items)
        ? child(A.loc, 'items')
        : anythingAt(A, child(A.loc, 'items'));
    out.push(...p.sub(aItems, child(B.loc, 'items')));
  }
  return out;
}

/** A tuple in b (`items` as an array) that a does not have word for word: undecided. */
export function tuples(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  if (
    Array.isArray(sb.items) &&
    !(Array.isArray(sa.items) && hasNoRef(sa.items) && jsonEqual(sa.items, sb.items))
  )
    return [p.undecided(A, B, 'items')];
  return [];
}
