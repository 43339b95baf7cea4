// Combinators in the subset engine: allOf, anyOf and oneOf on either side. A target with
// combinators is split into parts a must fit each of; a source with them is resolved into branches
// or merged into one schema before its keywords are compared.

import {
  child,
  hasNoRef,
  isAnnotation,
  jsonEqual,
  type SchemaNode,
  type SchemaView,
  synthetic,
} from '../node.js';
import { disjoint } from './disjoint.js';
import { keywords } from './keywords.js';
import { conjunction, mergeNodes } from './merge.js';
import { asSchema, type Pass, type Reason, type Role, type Schema } from './pass.js';
import { refuted } from './refute.js';

/** The combinator keywords. */
export const combinators = ['allOf', 'anyOf', 'oneOf'] as const;

/** b = base ∧ allOf ∧ $ref-conjuncts ∧ anyOf ∧ oneOf: a must be a subset of every part. */
export function targetParts(p: Pass, A: SchemaView, B: SchemaView, sb: Schema): Reason[] {
  const reasons: Reason[] = [];
  for (const c of B.conjuncts) reasons.push(...p.sub(p.a, c));
  if (Array.isArray(sb.allOf))
    for (let i = 0; i < sb.allOf.length; i++) reasons.push(...p.sub(p.a, child(B.loc, 'allOf', i)));
  const base: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sb)) if (!combinators.includes(k as never)) base[k] = v;
  if (p.cb.dialect === '2020-12' && ('unevaluatedProperties' in base || 'unevaluatedItems' in base)) {
    // unevaluated* sees what the combinators evaluated: not comparable keyword by keyword.
    const sa = asSchema(A.schema);
    for (const k of ['unevaluatedProperties', 'unevaluatedItems']) {
      if (!(k in base)) continue;
      if (!(k in sa && hasNoRef(sa[k]) && hasNoRef(base[k]) && jsonEqual(sa[k], base[k])))
        reasons.push(p.undecided(A, B, k));
      delete base[k];
    }
  }
  if (Object.keys(base).some((k) => !isAnnotation(k)))
    reasons.push(...p.sub(p.a, synthetic(B.loc, base, '#base')));
  for (const kind of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(sb[kind])) reasons.push(...union(p, A, B, kind));
  }
  return reasons;
}

/**
 * The branches of a union in `a` (each conjoined with the rest of `a`), or `a` itself; `raw`: the
 * branches alone.
 */
function sourceBranches(
  p: Pass,
  A: SchemaView,
): { nodes: SchemaNode[]; raw: SchemaNode[]; kind?: 'anyOf' | 'oneOf' } {
  const sa = asSchema(A.schema);
  const kind = Array.isArray(sa.oneOf) ? 'oneOf' : Array.isArray(sa.anyOf) ? 'anyOf' : undefined;
  if (!kind || (Array.isArray(sa.oneOf) && Array.isArray(sa.anyOf))) return { nodes: [p.a], raw: [p.a] };
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sa)) if (k !== kind) rest[k] = v;
  const restLoc = synthetic(A.loc, rest, `#rest-${kind}`);
  const hasRest = Object.keys(rest).some((k) => !isAnnotation(k)) || A.conjuncts.length > 0;
  const branches = (sa[kind] as unknown[]).map((_, i) => child(A.loc, kind, i));
  return {
    kind,
    raw: branches,
    nodes: branches.map((br) =>
      hasRest ? (mergeNodes([restLoc, ...A.conjuncts, br], p.ca) ?? conjunction(A.loc, [restLoc, br])) : br,
    ),
  };
}

/** a ⊆ anyOf/oneOf(b's branches). */
function union(p: Pass, A: SchemaView, B: SchemaView, kind: 'anyOf' | 'oneOf'): Reason[] {
  const targets = (asSchema(B.schema)[kind] as unknown[]).map((_, i) => child(B.loc, kind, i));
  const source = sourceBranches(p, A);
  const reasons: Reason[] = [];
  source.nodes.forEach((s, i) => {
    // The first branch that takes all of s: branches that surely do not are passed over, and
    // compared in depth only to explain a source that no branch takes.
    const found: (Reason[] | undefined)[] = [];
    let j = -1;
    for (const t of targets) {
      const r = refuted(p.checker, s, t, p.role) ? undefined : p.sub(s, t);
      found.push(r);
      if (r?.length === 0) {
        j = found.length - 1;
        break;
      }
    }
    if (j === -1) {
      const results = found.map((r, k) => r ?? p.sub(s, targets[k] as SchemaNode));
      // Explain through the most similar branch, when one is close enough to be "the same" branch.
      let best = -1;
      results.forEach((r, k) => {
        const apart = disjoint(s, p.ca, targets[k] as SchemaNode, p.cb) === true;
        if (!apart && r.length <= 3 && (best === -1 || r.length < (results[best] as Reason[]).length))
          best = k;
      });
      if (best !== -1) reasons.push(...(results[best] as Reason[]));
      else
        reasons.push(
          p.reason({ bwd: 'union-branch-removed', fwd: 'union-branch-added' }, s, B.loc, {
            detail: source.kind ? `${source.kind}/${i}` : 'schema',
          }),
        );
      return;
    }
    if (kind !== 'oneOf') return;
    // Exactly one branch must match: every other branch must be disjoint from this source.
    targets.forEach((t, k) => {
      if (k === j) return;
      if (disjoint(s, p.ca, t, p.cb) === true) return;
      if (source.kind === 'oneOf') {
        // An instance of a matches exactly one of a's branches (i): none of t's instances may match
        // another branch of a on its own (the rest of a need not be implied by t).
        // Branch k first: most often it is t itself, which settles it at once.
        const others = source.raw.filter((_, l) => l !== i && l !== k);
        if (k !== i && k < source.raw.length) others.unshift(source.raw[k] as SchemaNode);
        const flipped: Role = p.flipped;
        const holds = (o: SchemaNode) =>
          !refuted(p.checker, t, o, flipped) && p.checker.check(t, o, flipped).length === 0;
        if (others.some(holds)) return;
      }
      reasons.push(
        p.reason('oneof-branches-overlap', s, t, {
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
export function againstBase(p: Pass, A: SchemaView, B: SchemaView): Reason[] {
  const sa = asSchema(A.schema);
  const isUnion = Array.isArray(sa.anyOf) || Array.isArray(sa.oneOf);
  if (isUnion) {
    const { nodes } = sourceBranches(p, A);
    const perBranch = nodes.map((n) => p.sub(n, p.b));
    if (perBranch.every((r) => r.length === 0)) return [];
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sa)) if (k !== 'anyOf' && k !== 'oneOf') rest[k] = v;
    const restNode = synthetic(A.loc, rest, '#rest');
    if (p.sub(restNode, p.b).length === 0) return [];
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
    const merged = mergeNodes([restNode, ...parts], p.ca);
    if (merged) return p.sub(merged, p.b);
    const candidates = [restNode, ...parts].map((part) => p.sub(part, p.b));
    if (candidates.some((r) => r.length === 0)) return [];
    // No single conjunct implies b; their combination may: say so rather than guess.
    const fewest = candidates.reduce((x, y) => (y.length < x.length ? y : x));
    return fewest.map((r) => ({ ...r, certain: false }));
  }
  return keywords(p, A, B);
}
