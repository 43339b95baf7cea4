// The subset engine's entry point: `SubsetChecker` decides L(a) ⊆ L(b) for two JSON Schemas, with
// the co-inductive memo that makes recursive schemas terminate. Each keyword family lives in
// ./subset/ (types, literals, bounds, strings, arrays, objects, combinators, undecided keywords).

import { hasNoRef, jsonEqual, pairKey, type SchemaContext, type SchemaNode, viewOf } from './node.js';
import { SameSchema } from './same.js';
import { againstBase, combinators, targetParts } from './subset/combinators.js';
import { asSchema, Pass, type Reason, type Recursion, type Role, stripAnnotations } from './subset/pass.js';
import { describeTypes } from './subset/types.js';

export type { Reason, Role } from './subset/pass.js';

/** How many schema pairs may be under comparison at once (one per nesting level). */
const maxDepth = 256;

/**
 * Decides L(a) ⊆ L(b) for two JSON Schemas, the way the generated ajv validators read them, and
 * explains every way it may fail. Sound where it says "subset" (backed by the property test);
 * where it cannot decide it says so (an uncertain reason), never "subset".
 *
 * Recursion: a pair already being checked is assumed to hold (greatest fixed point; sound because
 * instances are finite and every cycle passes through properties/items). Results are memoized
 * unless they depended on such an assumption.
 */
export class SubsetChecker implements Recursion {
  private readonly memo = new Map<number | string, Reason[]>();
  private readonly pending = new Set<number | string>();
  private assumptions = 0;
  private readonly same: SameSchema;
  /** The same schema with the same `readOnly`, `writeOnly` and `discriminator` everywhere. */
  readonly sameAnnotated: SameSchema;

  constructor(
    private readonly oldCtx: SchemaContext,
    private readonly newCtx: SchemaContext,
  ) {
    this.same = new SameSchema(oldCtx, newCtx);
    this.sameAnnotated = new SameSchema(oldCtx, newCtx, new Set(['readOnly', 'writeOnly', 'discriminator']));
  }

  /** Reasons why L(a) ⊄ L(b); `a` is old and `b` new for `bwd`, the reverse for `fwd`. */
  check(a: SchemaNode, b: SchemaNode, role: Role): Reason[] {
    const key = pairKey(a, b, role);
    const known = this.memo.get(key);
    if (known) return known;
    if (this.pending.has(key)) {
      this.assumptions++;
      return [];
    }
    // The same schema on both sides (the common case): nothing to explain in either direction.
    if (role === 'bwd' ? this.same.nodes(a, b) : this.same.nodes(b, a)) {
      this.memo.set(key, []);
      return [];
    }
    if (this.pending.size >= maxDepth) {
      // A chain this deep only comes from recursion the memo does not close (each step a new
      // synthetic schema): stop before the stack does and say so, never "compatible".
      return [
        new Pass(this, a, b, role).reason('schema-change-undecided', a, b, {
          certain: false,
          detail: `nesting deeper than ${maxDepth} levels`,
        }),
      ];
    }
    this.pending.add(key);
    const before = this.assumptions;
    let result: Reason[];
    try {
      result = decide(new Pass(this, a, b, role));
    } finally {
      this.pending.delete(key);
    }
    if (this.assumptions === before) this.memo.set(key, result);
    return result;
  }

  underway(a: SchemaNode, b: SchemaNode, role: Role): boolean {
    return this.pending.has(pairKey(a, b, role));
  }

  underwayKey(key: number | string): boolean {
    return this.pending.has(key);
  }

  /** The reading context of side `a` or `b` under `role` (`a` is the old side for `bwd`). */
  ctx(side: 'a' | 'b', role: Role): SchemaContext {
    return (side === 'a') === (role === 'bwd') ? this.oldCtx : this.newCtx;
  }
}

/** One pass: boolean schemas and identical schemas first, then b's combinators or a's, then keywords. */
function decide(p: Pass): Reason[] {
  const A = viewOf(p.a, p.ca);
  const B = viewOf(p.b, p.cb);
  if (B.schema === true && B.conjuncts.length === 0) return [];
  if (A.schema === false) return [];
  if (B.schema === false) {
    return [
      p.reason({ bwd: 'schema-narrowed', fwd: 'schema-widened' }, A.loc, B.loc, {
        aValue: describeTypes(A),
        bValue: 'nothing (false)',
      }),
    ];
  }
  if (
    p.ca.dialect === p.cb.dialect &&
    p.ca.openapi30 === p.cb.openapi30 &&
    hasNoRef(A.loc.value) &&
    hasNoRef(B.loc.value) &&
    jsonEqual(stripAnnotations(A.schema), stripAnnotations(B.schema)) &&
    A.conjuncts.length === 0 &&
    B.conjuncts.length === 0
  )
    return [];
  const sb = asSchema(B.schema);
  if (B.conjuncts.length > 0 || combinators.some((k) => k in sb)) return targetParts(p, A, B, sb);
  return againstBase(p, A, B);
}
