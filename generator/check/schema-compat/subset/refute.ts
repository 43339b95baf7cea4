// A cheap look at a pair that tells, without the full check, that the full check would explain at
// least one way a ⊄ b: what lets a union find the branch that takes a source without comparing it
// in depth with every branch before that one. Each case follows the path the full check takes
// (../subset.ts `decide`, ./combinators.ts, ./keywords.ts) and the reason it is sure to give there.

import { child, pairKey, type SchemaNode, synthetic, viewOf } from '../node.js';
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
export function refuted(checker: Recursion, a: SchemaNode, b: SchemaNode, role: Role): boolean {
  let memo = memos.get(checker);
  if (!memo) {
    // One map per depth: a look's answer depends on how deep it starts.
    memo = Array.from({ length: maxDepth + 1 }, () => new Map());
    memos.set(checker, memo);
  }
  return look(checker, memo, a, b, role, 0, { watched: [], tainted: false });
}

/**
 * What a look depended on: the pairs it found not under comparison (`watched`), and whether it met
 * one that was (`tainted`: its answer then holds only while that pair is underway, so it is not kept).
 */
interface Trace {
  watched: (number | string)[];
  tainted: boolean;
}

/** A kept answer and the pairs whose not being underway it assumed. */
interface Known {
  readonly result: boolean;
  readonly watched: readonly (number | string)[];
}

/**
 * Looks are remembered per checker: a union asks about the same pair of branches once per source
 * branch (and the oneOf overlap check once per pair of other branches), ~100,000 looks on the
 * GitHub description for ~13,000 distinct ones. A look depends only on the two nodes, the role, the
 * depth and which pairs are underway, so a kept answer is reused while none of the pairs it found
 * free is underway (what a fresh look would see the same way).
 */
const memos = new WeakMap<Recursion, Map<number | string, Known>[]>();

function look(
  checker: Recursion,
  memo: Map<number | string, Known>[],
  a: SchemaNode,
  b: SchemaNode,
  role: Role,
  depth: number,
  trace: Trace,
): boolean {
  if (depth > maxDepth) return false;
  const pair = pairKey(a, b, role);
  if (checker.underwayKey(pair)) {
    trace.tainted = true;
    return false;
  }
  const level = memo[depth] as Map<number | string, Known>;
  const known = level.get(pair);
  if (known?.watched.every((k) => !checker.underwayKey(k))) {
    for (const k of known.watched) trace.watched.push(k);
    return known.result;
  }
  const mine: Trace = { watched: [pair], tainted: false };
  const result = refutedNow(checker, memo, a, b, role, depth, mine);
  if (!mine.tainted) level.set(pair, { result, watched: mine.watched });
  for (const k of mine.watched) trace.watched.push(k);
  if (mine.tainted) trace.tainted = true;
  return result;
}

function refutedNow(
  checker: Recursion,
  memo: Map<number | string, Known>[],
  a: SchemaNode,
  b: SchemaNode,
  role: Role,
  depth: number,
  trace: Trace,
): boolean {
  const next = (x: SchemaNode, y: SchemaNode) => look(checker, memo, x, y, role, depth + 1, trace);
  const ca = checker.ctx('a', role);
  const cb = checker.ctx('b', role);
  const A = viewOf(a, ca);
  const B = viewOf(b, cb);
  if (typeof A.schema === 'boolean' || typeof B.schema === 'boolean') return false;
  const sa = A.schema;
  const sb = B.schema;
  if (B.conjuncts.length > 0 || combinators.some((k) => k in sb)) {
    if (B.conjuncts.length > 0 || 'anyOf' in sb || 'oneOf' in sb || !Array.isArray(sb.allOf)) return false;
    for (let i = 0; i < sb.allOf.length; i++) if (next(a, child(B.loc, 'allOf', i))) return true;
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
    if (merged) return next(merged, b);
    return [restNode, ...parts].every((part) => next(part, b));
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
    if (next(aProp, bProp)) return true;
  }
  return false;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
