// Numbers and bounds in the subset engine: minimum/maximum (inclusive and exclusive), multipleOf,
// and the length bounds strings, arrays and objects share (min/max Length, Items, Properties).

import type { SchemaView } from '../node.js';
import type { Pass, Reason, Schema } from './pass.js';

const boundPairs: Record<string, 'lower' | 'upper'> = {
  minLength: 'lower',
  maxLength: 'upper',
  minItems: 'lower',
  maxItems: 'upper',
  minProperties: 'lower',
  maxProperties: 'upper',
};

/** Is `k` a keyword that bounds values (so a value it rejects reads as a tightened bound)? */
export function isBoundKeyword(k: string): boolean {
  return (
    k in boundPairs ||
    ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'uniqueItems'].includes(k)
  );
}

/** A tightened bound on `keyword` unless `ok`. */
export function bound(
  p: Pass,
  A: SchemaView,
  B: SchemaView,
  keyword: string,
  sa: Schema,
  sb: Schema,
  ok: boolean,
): Reason[] {
  if (ok) return [];
  return [
    p.reason({ bwd: 'bound-tightened', fwd: 'bound-loosened' }, A.loc, B.loc, {
      keyword,
      aValue: sa[keyword],
      bValue: sb[keyword],
    }),
  ];
}

/** Every numeric bound of `b` must hold for a's numbers (`ta`: a's types). */
export function numbers(
  p: Pass,
  A: SchemaView,
  B: SchemaView,
  sa: Schema,
  sb: Schema,
  ta: Set<string>,
): Reason[] {
  const num = (s: Schema, k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const out: Reason[] = [];
  const aMin = num(sa, 'minimum');
  const aExMin = num(sa, 'exclusiveMinimum');
  const aMax = num(sa, 'maximum');
  const aExMax = num(sa, 'exclusiveMaximum');
  const bMin = num(sb, 'minimum');
  if (bMin !== undefined)
    out.push(
      ...bound(
        p,
        A,
        B,
        'minimum',
        sa,
        sb,
        (aMin !== undefined && aMin >= bMin) || (aExMin !== undefined && aExMin >= bMin),
      ),
    );
  const bExMin = num(sb, 'exclusiveMinimum');
  if (bExMin !== undefined)
    out.push(
      ...bound(
        p,
        A,
        B,
        'exclusiveMinimum',
        sa,
        sb,
        (aMin !== undefined && aMin > bExMin) || (aExMin !== undefined && aExMin >= bExMin),
      ),
    );
  const bMax = num(sb, 'maximum');
  if (bMax !== undefined)
    out.push(
      ...bound(
        p,
        A,
        B,
        'maximum',
        sa,
        sb,
        (aMax !== undefined && aMax <= bMax) || (aExMax !== undefined && aExMax <= bMax),
      ),
    );
  const bExMax = num(sb, 'exclusiveMaximum');
  if (bExMax !== undefined)
    out.push(
      ...bound(
        p,
        A,
        B,
        'exclusiveMaximum',
        sa,
        sb,
        (aMax !== undefined && aMax < bExMax) || (aExMax !== undefined && aExMax <= bExMax),
      ),
    );
  const bMult = num(sb, 'multipleOf');
  if (bMult !== undefined) {
    const aMult = num(sa, 'multipleOf');
    const integersOnly = !ta.has('number');
    const ok =
      aMult === bMult ||
      (bMult === 1 && integersOnly) ||
      (aMult !== undefined && Number.isInteger(aMult) && Number.isInteger(bMult) && aMult % bMult === 0);
    out.push(...bound(p, A, B, 'multipleOf', sa, sb, ok));
  }
  return out;
}

/** b's length bounds among `keys` (a lower or an upper bound each) must hold for a. */
export function lengthBounds(
  p: Pass,
  A: SchemaView,
  B: SchemaView,
  sa: Schema,
  sb: Schema,
  keys: string[],
): Reason[] {
  const out: Reason[] = [];
  for (const k of keys) {
    const bv = sb[k];
    if (typeof bv !== 'number') continue;
    const av = sa[k];
    const ok = typeof av === 'number' && (boundPairs[k] === 'lower' ? av >= bv : av <= bv);
    out.push(...bound(p, A, B, k, sa, sb, ok));
  }
  return out;
}
