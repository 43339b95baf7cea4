import { isObject } from '../../load/json-pointer.js';
import {
  allTypes,
  child,
  hasNoRef,
  isAnnotation,
  jsonEqual,
  nodeKey,
  remember,
  type SchemaContext,
  type SchemaNode,
  type SchemaView,
  synthetic,
  typesOf,
  viewOf,
} from './node.js';
import { accepts, isAssertedFormat, jsonType, matches } from './values.js';

/**
 * `bwd`: is every instance of the old schema accepted by the new one (the new reads the old)?
 * `fwd`: is every instance of the new schema accepted by the old one (the old reads the new)?
 */
export type Role = 'bwd' | 'fwd';

/**
 * One reason why L(a) ⊄ L(b) in a subset check: an atomic change between the old and the new
 * schema, named from the old → new point of view (so the same change found by both checks merges).
 */
export interface Reason {
  readonly rule: string;
  readonly role: Role;
  /** false: the schemas do not say enough to decide (reported as a warning, never as compatible). */
  readonly certain: boolean;
  readonly old: SchemaNode;
  readonly new: SchemaNode;
  /** The keyword the change is about (appended to both pointers), e.g. `maxLength`. */
  readonly keyword?: string;
  readonly oldValue?: unknown;
  readonly newValue?: unknown;
  /** What the change concerns, e.g. a property name or an enum value (part of the identity). */
  readonly detail?: string;
}

/** Keywords whose change the engine does not reason about (a change is reported as undecided). */
const units07 = ['not', 'if', 'then', 'else', 'contains', 'propertyNames', 'dependencies', 'additionalItems'];
const units2020 = [
  ...units07,
  'dependentRequired',
  'dependentSchemas',
  'prefixItems',
  'unevaluatedItems',
  'minContains',
  'maxContains',
  '$dynamicRef',
  '$recursiveRef',
];
const combinators = ['allOf', 'anyOf', 'oneOf'] as const;
const boundPairs: Record<string, 'lower' | 'upper'> = {
  minLength: 'lower',
  maxLength: 'upper',
  minItems: 'lower',
  maxItems: 'upper',
  minProperties: 'lower',
  maxProperties: 'upper',
};

type Schema = Readonly<Record<string, unknown>>;

/**
 * Decides L(a) ⊆ L(b) for two JSON Schemas, the way the generated ajv validators read them, and
 * explains every way it may fail. Sound where it says "subset" (backed by the property test);
 * where it cannot decide it says so (an uncertain reason), never "subset".
 *
 * Recursion: a pair already being checked is assumed to hold (greatest fixed point; sound because
 * instances are finite and every cycle passes through properties/items). Results are memoized
 * unless they depended on such an assumption.
 */
export class SubsetChecker {
  private readonly memo = new Map<string, Reason[]>();
  private readonly pending = new Set<string>();
  private assumptions = 0;

  constructor(
    private readonly oldCtx: SchemaContext,
    private readonly newCtx: SchemaContext,
  ) {}

  /** Reasons why L(a) ⊄ L(b); `a` is old and `b` new for `bwd`, the reverse for `fwd`. */
  check(a: SchemaNode, b: SchemaNode, role: Role): Reason[] {
    const key = `${role}|${nodeKey(a)}|${nodeKey(b)}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (this.pending.has(key)) {
      this.assumptions++;
      return [];
    }
    this.pending.add(key);
    const before = this.assumptions;
    let result: Reason[];
    try {
      result = new Pass(this, a, b, role).run();
    } finally {
      this.pending.delete(key);
    }
    if (this.assumptions === before) this.memo.set(key, result);
    return result;
  }

  ctx(side: 'a' | 'b', role: Role): SchemaContext {
    return (side === 'a') === (role === 'bwd') ? this.oldCtx : this.newCtx;
  }
}

/** One subset check of a pair of schemas. */
class Pass {
  private readonly ca: SchemaContext;
  private readonly cb: SchemaContext;

  constructor(
    private readonly checker: SubsetChecker,
    private readonly a: SchemaNode,
    private readonly b: SchemaNode,
    private readonly role: Role,
  ) {
    this.ca = checker.ctx('a', role);
    this.cb = checker.ctx('b', role);
  }

  private sub(a: SchemaNode, b: SchemaNode): Reason[] {
    return this.checker.check(a, b, this.role);
  }

  /** A reason located at `aLoc`/`bLoc`, with old/new assigned by role. */
  private reason(
    rule: string | { bwd: string; fwd: string },
    aLoc: SchemaNode,
    bLoc: SchemaNode,
    opts: { certain?: boolean; keyword?: string; aValue?: unknown; bValue?: unknown; detail?: string } = {},
  ): Reason {
    const bwd = this.role === 'bwd';
    return {
      rule: typeof rule === 'string' ? rule : rule[this.role],
      role: this.role,
      certain: opts.certain ?? true,
      old: bwd ? aLoc : bLoc,
      new: bwd ? bLoc : aLoc,
      ...(opts.keyword !== undefined ? { keyword: opts.keyword } : {}),
      ...(opts.aValue !== undefined || opts.bValue !== undefined
        ? { oldValue: bwd ? opts.aValue : opts.bValue, newValue: bwd ? opts.bValue : opts.aValue }
        : {}),
      ...(opts.detail !== undefined ? { detail: opts.detail } : {}),
    };
  }

  run(): Reason[] {
    const A = viewOf(this.a, this.ca);
    const B = viewOf(this.b, this.cb);
    if (B.schema === true && B.conjuncts.length === 0) return [];
    if (A.schema === false) return [];
    if (B.schema === false) {
      return [
        this.reason({ bwd: 'schema-narrowed', fwd: 'schema-widened' }, A.loc, B.loc, {
          aValue: describeTypes(A),
          bValue: 'nothing (false)',
        }),
      ];
    }
    if (
      this.ca.dialect === this.cb.dialect &&
      this.ca.openapi30 === this.cb.openapi30 &&
      hasNoRef(A.loc.value) &&
      hasNoRef(B.loc.value) &&
      jsonEqual(stripAnnotations(A.schema), stripAnnotations(B.schema)) &&
      A.conjuncts.length === 0 &&
      B.conjuncts.length === 0
    )
      return [];
    const sb = asSchema(B.schema);
    if (B.conjuncts.length > 0 || combinators.some((k) => k in sb)) return this.targetParts(A, B, sb);
    return this.againstBase(A, B);
  }

  /** b = base ∧ allOf ∧ $ref-conjuncts ∧ anyOf ∧ oneOf: a must be a subset of every part. */
  private targetParts(A: SchemaView, B: SchemaView, sb: Schema): Reason[] {
    const reasons: Reason[] = [];
    for (const c of B.conjuncts) reasons.push(...this.sub(this.a, c));
    if (Array.isArray(sb.allOf))
      for (let i = 0; i < sb.allOf.length; i++) reasons.push(...this.sub(this.a, child(B.loc, 'allOf', i)));
    const base: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sb)) if (!combinators.includes(k as never)) base[k] = v;
    if (this.cb.dialect === '2020-12' && ('unevaluatedProperties' in base || 'unevaluatedItems' in base)) {
      // unevaluated* sees what the combinators evaluated: not comparable keyword by keyword.
      const sa = asSchema(A.schema);
      for (const k of ['unevaluatedProperties', 'unevaluatedItems']) {
        if (!(k in base)) continue;
        if (!(k in sa && hasNoRef(sa[k]) && hasNoRef(base[k]) && jsonEqual(sa[k], base[k])))
          reasons.push(this.undecided(A, B, k));
        delete base[k];
      }
    }
    if (Object.keys(base).some((k) => !isAnnotation(k)))
      reasons.push(...this.sub(this.a, synthetic(B.loc, base, '#base')));
    for (const kind of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(sb[kind])) reasons.push(...this.union(A, B, kind));
    }
    return reasons;
  }

  /** The branches of a union in `a` (each conjoined with the rest of `a`), or `a` itself. */
  private sourceBranches(A: SchemaView): { nodes: SchemaNode[]; kind?: 'anyOf' | 'oneOf' } {
    const sa = asSchema(A.schema);
    const kind = Array.isArray(sa.oneOf) ? 'oneOf' : Array.isArray(sa.anyOf) ? 'anyOf' : undefined;
    if (!kind || (Array.isArray(sa.oneOf) && Array.isArray(sa.anyOf))) return { nodes: [this.a] };
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sa)) if (k !== kind) rest[k] = v;
    const restLoc = synthetic(A.loc, rest, `#rest-${kind}`);
    const hasRest = Object.keys(rest).some((k) => !isAnnotation(k)) || A.conjuncts.length > 0;
    const branches = (sa[kind] as unknown[]).map((_, i) => child(A.loc, kind, i));
    return {
      kind,
      nodes: branches.map((br) =>
        hasRest
          ? (mergeNodes([restLoc, ...A.conjuncts, br], this.ca) ?? conjunction(A.loc, [restLoc, br]))
          : br,
      ),
    };
  }

  /** a ⊆ anyOf/oneOf(b's branches). */
  private union(A: SchemaView, B: SchemaView, kind: 'anyOf' | 'oneOf'): Reason[] {
    const targets = (asSchema(B.schema)[kind] as unknown[]).map((_, i) => child(B.loc, kind, i));
    const source = this.sourceBranches(A);
    const reasons: Reason[] = [];
    source.nodes.forEach((s, i) => {
      const results = targets.map((t) => this.sub(s, t));
      const j = results.findIndex((r) => r.length === 0);
      if (j === -1) {
        // Explain through the most similar branch, when one is close enough to be "the same" branch.
        let best = -1;
        results.forEach((r, k) => {
          const disjoint = this.disjoint(s, this.ca, targets[k] as SchemaNode, this.cb) === true;
          if (!disjoint && r.length <= 3 && (best === -1 || r.length < (results[best] as Reason[]).length))
            best = k;
        });
        if (best !== -1) reasons.push(...(results[best] as Reason[]));
        else
          reasons.push(
            this.reason({ bwd: 'union-branch-removed', fwd: 'union-branch-added' }, s, B.loc, {
              detail: source.kind ? `${source.kind}/${i}` : 'schema',
            }),
          );
        return;
      }
      if (kind !== 'oneOf') return;
      // Exactly one branch must match: every other branch must be disjoint from this source.
      targets.forEach((t, k) => {
        if (k === j) return;
        if (this.disjoint(s, this.ca, t, this.cb) === true) return;
        if (source.kind === 'oneOf') {
          const others = source.nodes.filter((_, l) => l !== i);
          const flipped: Role = this.role === 'bwd' ? 'fwd' : 'bwd';
          if (others.some((o) => this.checker.check(t, o, flipped).length === 0)) return;
        }
        reasons.push(
          this.reason('oneof-branches-overlap', s, t, {
            certain: false,
            keyword: 'oneOf',
            detail: `${j}~${k}`,
          }),
        );
      });
    });
    return reasons;
  }

  /** a ⊆ b where b has no combinators: a's own combinators are resolved first. */
  private againstBase(A: SchemaView, B: SchemaView): Reason[] {
    const sa = asSchema(A.schema);
    const union = Array.isArray(sa.anyOf) || Array.isArray(sa.oneOf);
    if (union) {
      const { nodes } = this.sourceBranches(A);
      const perBranch = nodes.map((n) => this.sub(n, this.b));
      if (perBranch.every((r) => r.length === 0)) return [];
      const rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(sa)) if (k !== 'anyOf' && k !== 'oneOf') rest[k] = v;
      const restNode = synthetic(A.loc, rest, '#rest');
      if (this.sub(restNode, this.b).length === 0) return [];
      return perBranch.flat();
    }
    if (A.conjuncts.length > 0 || Array.isArray(sa.allOf)) {
      const parts = [
        ...(Array.isArray(sa.allOf) ? sa.allOf.map((_, i) => child(A.loc, 'allOf', i)) : []),
        ...A.conjuncts,
      ];
      const rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(sa)) if (k !== 'allOf') rest[k] = v;
      const restNode = synthetic(A.loc, rest, '#rest');
      const merged = mergeNodes([restNode, ...parts], this.ca);
      if (merged) return this.sub(merged, this.b);
      const candidates = [restNode, ...parts].map((p) => this.sub(p, this.b));
      if (candidates.some((r) => r.length === 0)) return [];
      // No single conjunct implies b; their combination may: say so rather than guess.
      const fewest = candidates.reduce((x, y) => (y.length < x.length ? y : x));
      return fewest.map((r) => ({ ...r, certain: false }));
    }
    return this.base(A, B);
  }

  private undecided(A: SchemaView, B: SchemaView, keyword: string): Reason {
    const sa = asSchema(A.schema);
    const sb = asSchema(B.schema);
    return this.reason('schema-change-undecided', A.loc, B.loc, {
      certain: false,
      keyword,
      aValue: sa[keyword],
      bValue: sb[keyword],
      detail: keyword,
    });
  }

  /** Both sides free of combinators (a's may remain when they could not be resolved: ignored, sound). */
  private base(A: SchemaView, B: SchemaView): Reason[] {
    const sa = asSchema(A.schema);
    const sb = asSchema(B.schema);
    const reasons: Reason[] = [];
    const units = this.cb.dialect === '2020-12' ? units2020 : units07;
    for (const unit of units) {
      if (!(unit in sb) || (unit === 'additionalItems' && !Array.isArray(sb.items))) continue;
      if (unit in sa && hasNoRef(sa[unit]) && hasNoRef(sb[unit]) && jsonEqual(sa[unit], sb[unit])) continue;
      if (unit === 'not' && 'not' in sa) {
        const flipped: Role = this.role === 'bwd' ? 'fwd' : 'bwd';
        if (this.checker.check(child(B.loc, 'not'), child(A.loc, 'not'), flipped).length === 0) continue;
      }
      reasons.push(this.undecided(A, B, unit));
    }
    if (
      Array.isArray(sb.items) &&
      !(Array.isArray(sa.items) && hasNoRef(sa.items) && jsonEqual(sa.items, sb.items))
    )
      reasons.push(this.undecided(A, B, 'items'));

    // enum / const on the source side: the values decide everything.
    const aValues = 'const' in sa ? [sa.const] : Array.isArray(sa.enum) ? sa.enum : undefined;
    if (aValues) return [...reasons, ...this.values(A, B, aValues, sa, sb)];
    const ta = effectiveTypes(sa);
    const bHasValues = 'const' in sb || Array.isArray(sb.enum);
    if (bHasValues) {
      if ([...ta].every((t) => t === 'null' || t === 'boolean')) {
        const finite = [null, true, false].filter((v) => ta.has(jsonType(v)));
        return [...reasons, ...this.values(A, B, finite, sa, sb)];
      }
      reasons.push(
        this.reason(
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
      );
      return reasons;
    }
    const tb = effectiveTypes(sb);
    const missing = [...ta].filter((t) => !acceptsType(tb, t));
    if (missing.length > 0) {
      reasons.push(
        this.reason(this.typeRule(ta, tb), A.loc, B.loc, {
          keyword: 'type',
          aValue: typeList(sa),
          bValue: typeList(sb),
        }),
      );
    }
    const shared = (t: string) => ta.has(t) && acceptsType(tb, t);
    if (shared('number') || shared('integer')) reasons.push(...this.numbers(A, B, sa, sb, ta));
    if (shared('string')) reasons.push(...this.strings(A, B, sa, sb));
    if (shared('array')) reasons.push(...this.arrays(A, B, sa, sb));
    if (shared('object')) reasons.push(...this.objects(A, B, sa, sb));
    return reasons;
  }

  private typeRule(ta: Set<string>, tb: Set<string>): string {
    const [oldT, newT] = this.role === 'bwd' ? [ta, tb] : [tb, ta];
    const lost = [...oldT].filter((t) => !acceptsType(newT, t));
    const gained = [...newT].filter((t) => !acceptsType(oldT, t));
    if (lost.length === 0 && gained.length > 0)
      return gained.every((t) => t === 'null') ? 'nullable-added' : 'type-widened';
    if (gained.length === 0 && lost.length > 0)
      return lost.every((t) => t === 'null') ? 'nullable-removed' : 'type-narrowed';
    return 'type-changed';
  }

  /** Every literal of `a` must be accepted by b. */
  private values(A: SchemaView, B: SchemaView, values: unknown[], sa: Schema, sb: Schema): Reason[] {
    const reasons: Reason[] = [];
    for (const v of values) {
      if (accepts(A.loc, v, this.ca) === false) continue;
      const verdict = accepts(B.loc, v, this.cb);
      if (verdict === true) continue;
      if (verdict === undefined) {
        reasons.push(
          this.reason('schema-change-undecided', A.loc, B.loc, {
            certain: false,
            keyword: 'enum',
            detail: JSON.stringify(v),
          }),
        );
        continue;
      }
      const keyword = this.failingKeyword(B, v, sb);
      const detail = JSON.stringify(v);
      if (keyword === 'const' && 'const' in sa) {
        reasons.push(
          this.reason('const-changed', A.loc, B.loc, { keyword, aValue: sa.const, bValue: sb.const }),
        );
      } else if (keyword === 'enum' || keyword === 'const') {
        reasons.push(
          this.reason({ bwd: 'enum-value-removed', fwd: 'enum-value-added' }, A.loc, B.loc, {
            keyword: 'enum',
            detail,
            aValue: v,
          }),
        );
      } else if (keyword === 'type') {
        reasons.push(
          this.reason(this.typeRule(new Set([jsonType(v)]), effectiveTypes(sb)), A.loc, B.loc, {
            keyword,
            detail,
            aValue: v,
            bValue: typeList(sb),
          }),
        );
      } else if (keyword === 'pattern' || keyword === 'format') {
        reasons.push(
          this.reason(
            keyword in sa ? `${keyword}-changed` : { bwd: `${keyword}-added`, fwd: `${keyword}-removed` },
            A.loc,
            B.loc,
            { keyword, aValue: sa[keyword], bValue: sb[keyword], detail },
          ),
        );
      } else if (keyword !== undefined && isBoundKeyword(keyword)) {
        reasons.push(
          this.reason({ bwd: 'bound-tightened', fwd: 'bound-loosened' }, A.loc, B.loc, {
            keyword,
            aValue: sa[keyword],
            bValue: sb[keyword],
            detail,
          }),
        );
      } else {
        reasons.push(
          this.reason({ bwd: 'schema-narrowed', fwd: 'schema-widened' }, A.loc, B.loc, {
            keyword: keyword ?? '',
            detail,
            aValue: v,
          }),
        );
      }
    }
    return reasons;
  }

  private failingKeyword(B: SchemaView, v: unknown, sb: Schema): string | undefined {
    for (const k of ['const', 'enum', 'type', ...Object.keys(sb)]) {
      if (!(k in sb)) continue;
      const single = {
        [k]: sb[k],
        ...(k === 'additionalProperties' || k === 'patternProperties' ? { properties: sb.properties } : {}),
      };
      if (accepts(synthetic(B.loc, single, `#only-${k}`), v, this.cb) === false) return k;
    }
    return undefined;
  }

  private bound(
    A: SchemaView,
    B: SchemaView,
    keyword: string,
    sa: Schema,
    sb: Schema,
    ok: boolean,
  ): Reason[] {
    if (ok) return [];
    return [
      this.reason({ bwd: 'bound-tightened', fwd: 'bound-loosened' }, A.loc, B.loc, {
        keyword,
        aValue: sa[keyword],
        bValue: sb[keyword],
      }),
    ];
  }

  private numbers(A: SchemaView, B: SchemaView, sa: Schema, sb: Schema, ta: Set<string>): Reason[] {
    const num = (s: Schema, k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
    const out: Reason[] = [];
    const aMin = num(sa, 'minimum');
    const aExMin = num(sa, 'exclusiveMinimum');
    const aMax = num(sa, 'maximum');
    const aExMax = num(sa, 'exclusiveMaximum');
    const bMin = num(sb, 'minimum');
    if (bMin !== undefined)
      out.push(
        ...this.bound(
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
        ...this.bound(
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
        ...this.bound(
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
        ...this.bound(
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
      out.push(...this.bound(A, B, 'multipleOf', sa, sb, ok));
    }
    return out;
  }

  private lengthBounds(A: SchemaView, B: SchemaView, sa: Schema, sb: Schema, keys: string[]): Reason[] {
    const out: Reason[] = [];
    for (const k of keys) {
      const bv = sb[k];
      if (typeof bv !== 'number') continue;
      const av = sa[k];
      const ok = typeof av === 'number' && (boundPairs[k] === 'lower' ? av >= bv : av <= bv);
      out.push(...this.bound(A, B, k, sa, sb, ok));
    }
    return out;
  }

  private strings(A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
    const out = this.lengthBounds(A, B, sa, sb, ['minLength', 'maxLength']);
    if (typeof sb.pattern === 'string' && sa.pattern !== sb.pattern) {
      out.push(
        typeof sa.pattern === 'string'
          ? this.reason('pattern-changed', A.loc, B.loc, {
              certain: false,
              keyword: 'pattern',
              aValue: sa.pattern,
              bValue: sb.pattern,
            })
          : this.reason({ bwd: 'pattern-added', fwd: 'pattern-removed' }, A.loc, B.loc, {
              keyword: 'pattern',
              aValue: sa.pattern,
              bValue: sb.pattern,
            }),
      );
    }
    if (typeof sb.format === 'string' && isAssertedFormat(sb.format) && sa.format !== sb.format) {
      out.push(
        typeof sa.format === 'string' && isAssertedFormat(sa.format)
          ? this.reason('format-changed', A.loc, B.loc, {
              keyword: 'format',
              aValue: sa.format,
              bValue: sb.format,
            })
          : this.reason({ bwd: 'format-added', fwd: 'format-removed' }, A.loc, B.loc, {
              keyword: 'format',
              aValue: sa.format,
              bValue: sb.format,
            }),
      );
    }
    return out;
  }

  private arrays(A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
    const out = this.lengthBounds(A, B, sa, sb, ['minItems', 'maxItems']);
    if (
      sb.uniqueItems === true &&
      sa.uniqueItems !== true &&
      !(typeof sa.maxItems === 'number' && sa.maxItems <= 1)
    )
      out.push(...this.bound(A, B, 'uniqueItems', sa, sb, false));
    if (sb.items !== undefined && !Array.isArray(sb.items)) {
      const aItems =
        sa.items !== undefined && !Array.isArray(sa.items)
          ? child(A.loc, 'items')
          : synthetic(child(A.loc, 'items'), true, '#any');
      out.push(...this.sub(aItems, child(B.loc, 'items')));
    }
    return out;
  }

  /** Additional properties as ajv applies them: `unevaluatedProperties` counts in 2020-12 only. */
  private additional(
    s: Schema,
    ctx: SchemaContext,
  ): 'additionalProperties' | 'unevaluatedProperties' | undefined {
    if (s.additionalProperties !== undefined) return 'additionalProperties';
    if (ctx.dialect === '2020-12' && s.unevaluatedProperties !== undefined) return 'unevaluatedProperties';
    return undefined;
  }

  private objects(A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
    const out = this.lengthBounds(A, B, sa, sb, ['minProperties', 'maxProperties']);
    const aProps = isObject(sa.properties) ? sa.properties : {};
    const bProps = isObject(sb.properties) ? sb.properties : {};
    const aPatterns = isObject(sa.patternProperties) ? Object.keys(sa.patternProperties) : [];
    const bPatterns = isObject(sb.patternProperties) ? Object.keys(sb.patternProperties) : [];
    const aReq = new Set(Array.isArray(sa.required) ? sa.required.map(String) : []);
    const bReq = new Set(Array.isArray(sb.required) ? sb.required.map(String) : []);
    const aAdd = this.additional(sa, this.ca);
    const bAdd = this.additional(sb, this.cb);
    const any = (at: SchemaNode) => synthetic(at, true, '#any');

    for (const r of bReq) {
      if (aReq.has(r)) continue;
      const declared = Object.hasOwn(aProps, r);
      const rule =
        this.role === 'bwd'
          ? declared
            ? 'property-became-required'
            : 'required-property-added'
          : declared
            ? 'property-became-optional'
            : 'required-property-removed';
      out.push(this.reason(rule, A.loc, B.loc, { keyword: 'required', detail: r }));
    }
    // Properties b declares: whatever a allows there must fit.
    for (const p of Object.keys(bProps)) {
      const bNode = child(B.loc, 'properties', p);
      if (Object.hasOwn(aProps, p)) {
        out.push(...this.sub(child(A.loc, 'properties', p), bNode));
        continue;
      }
      const aPattern = aPatterns.find((pat) => matches(pat, p));
      if (aPattern !== undefined) {
        out.push(...this.sub(child(A.loc, 'patternProperties', aPattern), bNode));
        continue;
      }
      if (aAdd !== undefined) {
        out.push(...this.sub(child(A.loc, aAdd), bNode));
        continue;
      }
      if (this.sub(any(child(A.loc, 'properties')), bNode).length === 0) continue;
      if (bReq.has(p) && !aReq.has(p)) continue;
      out.push(
        this.reason(
          { bwd: 'property-added-open-object', fwd: 'property-removed-open-object' },
          A.loc,
          B.loc,
          {
            certain: false,
            keyword: 'properties',
            detail: p,
          },
        ),
      );
    }
    // Properties only a declares: b reads them through its patterns or additional properties.
    for (const p of Object.keys(aProps)) {
      if (Object.hasOwn(bProps, p)) continue;
      const aNode = child(A.loc, 'properties', p);
      const covering = bPatterns.filter((pat) => matches(pat, p));
      for (const pat of covering) out.push(...this.sub(aNode, child(B.loc, 'patternProperties', pat)));
      if (covering.length > 0 || bAdd === undefined) continue;
      if (sb[bAdd] === false) {
        if (viewOf(aNode, this.ca).schema === false) continue;
        out.push(
          this.reason({ bwd: 'property-removed', fwd: 'property-added' }, A.loc, B.loc, {
            keyword: 'properties',
            detail: p,
          }),
        );
      } else out.push(...this.sub(aNode, child(B.loc, bAdd)));
    }
    // a's pattern properties.
    for (const pat of aPatterns) {
      const aNode = child(A.loc, 'patternProperties', pat);
      if (bPatterns.includes(pat)) {
        out.push(...this.sub(aNode, child(B.loc, 'patternProperties', pat)));
        continue;
      }
      for (const q of Object.keys(bProps)) {
        if (matches(pat, q) && !Object.hasOwn(aProps, q))
          out.push(...this.sub(aNode, child(B.loc, 'properties', q)));
      }
      if (bPatterns.length > 0) out.push(this.undecided(A, B, 'patternProperties'));
      else if (bAdd !== undefined) out.push(...this.sub(aNode, child(B.loc, bAdd)));
    }
    // a's other (unknown) properties.
    const aOpen = aAdd === undefined ? any(child(A.loc, 'additionalProperties')) : child(A.loc, aAdd);
    if (aAdd !== undefined && sa[aAdd] === false) return out;
    for (const pat of bPatterns) {
      if (aPatterns.includes(pat)) continue;
      if (this.sub(aOpen, child(B.loc, 'patternProperties', pat)).length === 0) continue;
      out.push(
        this.reason(
          { bwd: 'property-added-open-object', fwd: 'property-removed-open-object' },
          A.loc,
          B.loc,
          {
            certain: false,
            keyword: 'patternProperties',
            detail: pat,
          },
        ),
      );
    }
    if (bAdd !== undefined) {
      if (sb[bAdd] === false) {
        out.push(
          this.reason({ bwd: 'object-closed', fwd: 'object-opened' }, A.loc, B.loc, {
            keyword: bAdd,
            aValue: sa[bAdd],
            bValue: false,
          }),
        );
      } else out.push(...this.sub(aOpen, child(B.loc, bAdd)));
    }
    return out;
  }

  /**
   * True when no instance can satisfy both x and y (provable cases only): disjoint types, disjoint
   * literal sets, or a property required by both with disjoint schemas (a discriminator).
   */
  disjoint(x: SchemaNode, cx: SchemaContext, y: SchemaNode, cy: SchemaContext, depth = 0): boolean {
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
          if (this.disjoint(child(X.loc, 'properties', p), cx, child(Y.loc, 'properties', p), cy, depth + 1))
            return true;
        }
      }
    }
    return false;
  }
}

function overlapsType(t: string, other: Set<string>): boolean {
  if (other.has(t)) return true;
  if (t === 'integer') return other.has('number');
  if (t === 'number') return other.has('integer');
  return false;
}

/** Every type a schema without enum admits ('integer' apart; 'number' includes integers). */
function effectiveTypes(s: Schema): Set<string> {
  const t = typesOf(s);
  if (!t) return new Set(allTypes.filter((x) => x !== 'integer'));
  return t;
}

function acceptsType(types: Set<string>, t: string): boolean {
  return types.has(t) || (t === 'integer' && types.has('number'));
}

function typeList(s: Schema): unknown {
  return s.type ?? 'any';
}

function describeTypes(view: SchemaView): unknown {
  return typeof view.schema === 'boolean' ? (view.schema ? 'any' : 'nothing') : typeList(view.schema);
}

function isBoundKeyword(k: string): boolean {
  return (
    k in boundPairs ||
    ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'uniqueItems'].includes(k)
  );
}

function asSchema(s: Schema | boolean): Schema {
  return typeof s === 'boolean' ? {} : s;
}

function stripAnnotations(s: Schema | boolean): unknown {
  if (typeof s === 'boolean') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (!isAnnotation(k)) out[k] = v;
  return out;
}

/** `{allOf: nodes}` located at `at`, each member keeping its own location. */
function conjunction(at: SchemaNode, nodes: SchemaNode[]): SchemaNode {
  const values = nodes.map((n) => {
    const v =
      typeof n.value === 'object' && n.value !== null ? n.value : n.value === false ? { not: {} } : {};
    if (typeof v === 'object') remember(v, n);
    return v;
  });
  return synthetic(at, { allOf: values }, `#and(${nodes.map(nodeKey).join(',')})`);
}

const mergeable = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'items',
  'minProperties',
  'maxProperties',
  'enum',
  'const',
]);

/**
 * The conjunction of plain schemas as one equivalent schema (properties of each member keep their
 * locations), or undefined when the members use keywords whose conjunction is not a simple merge.
 */
export function mergeNodes(nodes: SchemaNode[], ctx: SchemaContext): SchemaNode | undefined {
  const views = nodes.map((n) => viewOf(n, ctx));
  if (views.some((v) => v.conjuncts.length > 0)) return undefined;
  if (views.some((v) => v.schema === false))
    return synthetic(nodes[0] as SchemaNode, false, `#merged(${nodes.map(nodeKey).join(',')})`);
  const schemas = views.map((v) => asSchema(v.schema));
  for (const s of schemas) {
    for (const k of Object.keys(s)) if (!isAnnotation(k) && !mergeable.has(k)) return undefined;
    if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') return undefined;
  }
  const out: Record<string, unknown> = {};
  // types: intersection
  const typed = schemas.map(typesOf).filter((t): t is Set<string> => t !== undefined);
  if (typed.length > 0) {
    let acc = typed[0] as Set<string>;
    for (const t of typed.slice(1)) {
      acc = new Set(
        [...acc].flatMap((x) =>
          t.has(x)
            ? [x]
            : x === 'number' && t.has('integer')
              ? ['integer']
              : x === 'integer' && t.has('number')
                ? ['integer']
                : [],
        ),
      );
    }
    out.type = [...acc];
  }
  for (const k of mergeable) {
    if (k === 'type' || k === 'properties' || k === 'required' || k === 'additionalProperties') continue;
    const present = schemas.filter((s) => k in s).map((s) => s[k]);
    if (present.length === 0) continue;
    if (present.length > 1 && !present.every((v) => hasNoRef(v) && jsonEqual(v, present[0])))
      return undefined;
    out[k] = present[0];
    if (k === 'items') {
      const i = schemas.findIndex((s) => k in s);
      remember(present[0], child(views[i]?.loc as SchemaNode, 'items'));
    }
  }
  const required = new Set<string>();
  for (const s of schemas) if (Array.isArray(s.required)) for (const r of s.required) required.add(String(r));
  if (required.size > 0) out.required = [...required];
  const names = new Set<string>();
  for (const s of schemas)
    if (isObject(s.properties)) for (const p of Object.keys(s.properties)) names.add(p);
  if (names.size > 0) {
    const props: Record<string, unknown> = {};
    for (const p of names) {
      const parts: SchemaNode[] = [];
      views.forEach((v, i) => {
        const s = schemas[i] as Schema;
        if (isObject(s.properties) && Object.hasOwn(s.properties, p))
          parts.push(child(v.loc, 'properties', p));
        else if (s.additionalProperties === false) parts.push(child(v.loc, 'additionalProperties'));
      });
      const [first] = parts;
      if (parts.length === 1 && first && typeof first.value === 'object' && first.value !== null) {
        remember(first.value, first);
        props[p] = first.value;
      } else if (parts.length === 1 && first) props[p] = first.value;
      else {
        const conj = conjunction(first as SchemaNode, parts);
        props[p] = conj.value;
      }
    }
    out.properties = props;
  }
  if (schemas.some((s) => s.additionalProperties === false)) out.additionalProperties = false;
  return synthetic(views[0]?.loc as SchemaNode, out, `#merged(${nodes.map(nodeKey).join(',')})`);
}
