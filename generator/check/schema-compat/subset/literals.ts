// Enum and const in the subset engine: a schema with literals on the source side is decided value
// by value; literals on the target side accept only a finite source (null/boolean) wholesale.

import { type SchemaView, synthetic } from '../node.js';
import { accepts, jsonType } from '../values.js';
import { isBoundKeyword } from './bounds.js';
import type { Pass, Reason, Schema } from './pass.js';
import { effectiveTypes, typeList, typeRule } from './types.js';

/** Every literal of `a` must be accepted by b. */
export function values(
  p: Pass,
  A: SchemaView,
  B: SchemaView,
  literals: unknown[],
  sa: Schema,
  sb: Schema,
): Reason[] {
  const reasons: Reason[] = [];
  for (const v of literals) {
    if (accepts(A.loc, v, p.ca) === false) continue;
    const verdict = accepts(B.loc, v, p.cb);
    if (verdict === true) continue;
    if (verdict === undefined) {
      reasons.push(
        p.reason('schema-change-undecided', A.loc, B.loc, {
          certain: false,
          keyword: 'enum',
          detail: JSON.stringify(v),
        }),
      );
      continue;
    }
    const keyword = failingKeyword(p, B, v, sb);
    const detail = JSON.stringify(v);
    if (keyword === 'const' && 'const' in sa) {
      reasons.push(p.reason('const-changed', A.loc, B.loc, { keyword, aValue: sa.const, bValue: sb.const }));
    } else if (keyword === 'enum' || keyword === 'const') {
      reasons.push(
        p.reason({ bwd: 'enum-value-removed', fwd: 'enum-value-added' }, A.loc, B.loc, {
          keyword: 'enum',
          detail,
          aValue: v,
        }),
      );
    } else if (keyword === 'type') {
      reasons.push(
        p.reason(typeRule(p, new Set([jsonType(v)]), effectiveTypes(sb)), A.loc, B.loc, {
          keyword,
          detail,
          aValue: v,
          bValue: typeList(sb),
        }),
      );
    } else if (keyword === 'pattern' || keyword === 'format') {
      reasons.push(
        p.reason(
          keyword in sa ? `${keyword}-changed` : { bwd: `${keyword}-added`, fwd: `${keyword}-removed` },
          A.loc,
          B.loc,
          { keyword, aValue: sa[keyword], bValue: sb[keyword], detail },
        ),
      );
    } else if (keyword !== undefined && isBoundKeyword(keyword)) {
      reasons.push(
        p.reason({ bwd: 'bound-tightened', fwd: 'bound-loosened' }, A.loc, B.loc, {
          keyword,
          aValue: sa[keyword],
          bValue: sb[keyword],
          detail,
        }),
      );
    } else {
      reasons.push(
        p.reason({ bwd: 'schema-narrowed', fwd: 'schema-widened' }, A.loc, B.loc, {
          keyword: keyword ?? '',
          detail,
          aValue: v,
        }),
      );
    }
  }
  return reasons;
}

/** The first keyword of b that rejects `v` on its own. */
function failingKeyword(p: Pass, B: SchemaView, v: unknown, sb: Schema): string | undefined {
  for (const k of ['const', 'enum', 'type', ...Object.keys(sb)]) {
    if (!(k in sb)) continue;
    const single = {
      [k]: sb[k],
      ...(k === 'additionalProperties' || k === 'patternProperties' ? { properties: sb.properties } : {}),
    };
    if (accepts(synthetic(B.loc, single, `#only-${k}`), v, p.cb) === false) return k;
  }
  return undefined;
}

/**
 * b has literals and a does not (`ta`: a's types): a finite a (null and booleans only) is decided
 * value by value, any other a gains a const or enum.
 */
export function againstLiterals(
  p: Pass,
  A: SchemaView,
  B: SchemaView,
  sa: Schema,
  sb: Schema,
  ta: Set<string>,
): Reason[] {
  if ([...ta].every((t) => t === 'null' || t === 'boolean')) {
    const finite = [null, true, false].filter((v) => ta.has(jsonType(v)));
    return values(p, A, B, finite, sa, sb);
  }
  return [
    p.reason(
      'const' in sb
        ? { bwd: 'const-added', fwd: 'const-removed' }
        : { bwd: 'enum-added', fwd: 'enum-removed' },
      A.loc,
      B.loc,
      {
        keyword: 'const' in sb ? 'const' : 'enum',
        bValue: 'const' in sb ? sb.const : sb.enum,
      },
    ),
  ];
}
