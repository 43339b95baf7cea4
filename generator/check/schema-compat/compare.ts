import { joinPointer } from '../../load/json-pointer.js';
import type { SchemaNode } from './node.js';
import type { Reason, SubsetChecker } from './subset.js';

/** Verdict of one direction: `ok` (proven), `break` (proven not), `unknown` (cannot decide). */
export type Verdict = 'ok' | 'break' | 'unknown';

/** One atomic change between an old and a new schema with both verdicts. */
export interface SchemaChange {
  readonly rule: string;
  /** Can the new schema read data written under the old? */
  readonly bwd: Verdict;
  /** Can the old schema read data written under the new? */
  readonly fwd: Verdict;
  readonly old: SchemaNode;
  readonly new: SchemaNode;
  /** Pointer in the new spec file (the keyword appended when the change is about one). */
  readonly newPointer: string;
  readonly oldPointer: string;
  readonly keyword?: string;
  readonly detail?: string;
  readonly oldValue?: unknown;
  readonly newValue?: unknown;
}

/**
 * Both subset checks of one schema pair (old ⊆ new for BWD, new ⊆ old for FWD), merged into atomic
 * changes. A change found by one check only is `ok` in the other direction.
 */
export function compareSchemas(
  checker: SubsetChecker,
  oldNode: SchemaNode,
  newNode: SchemaNode,
): SchemaChange[] {
  const reasons = [...checker.check(oldNode, newNode, 'bwd'), ...checker.check(newNode, oldNode, 'fwd')];
  const byKey = new Map<string, { reason: Reason; bwd: Verdict; fwd: Verdict }>();
  const worse = (a: Verdict, b: Verdict): Verdict =>
    a === 'break' || b === 'break' ? 'break' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'ok';
  for (const r of reasons) {
    const key = `${r.rule}|${r.new.file.path}#${r.new.pointer}|${r.keyword ?? ''}|${r.detail ?? ''}`;
    const entry = byKey.get(key) ?? { reason: r, bwd: 'ok' as Verdict, fwd: 'ok' as Verdict };
    const v: Verdict = r.certain ? 'break' : 'unknown';
    if (r.role === 'bwd') entry.bwd = worse(entry.bwd, v);
    else entry.fwd = worse(entry.fwd, v);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map(({ reason: r, bwd, fwd }) => ({
    rule: r.rule,
    bwd,
    fwd,
    old: r.old,
    new: r.new,
    newPointer: pointerOf(r.new, r.keyword, r.detail),
    oldPointer: pointerOf(r.old, r.keyword, r.detail),
    ...(r.keyword !== undefined ? { keyword: r.keyword } : {}),
    ...(r.detail !== undefined ? { detail: r.detail } : {}),
    ...(r.oldValue !== undefined ? { oldValue: r.oldValue } : {}),
    ...(r.newValue !== undefined ? { newValue: r.newValue } : {}),
  }));
}

/** The keyword's pointer; for a property, the property itself when that side declares it. */
function pointerOf(node: SchemaNode, keyword: string | undefined, detail: string | undefined): string {
  if (keyword === undefined) return node.pointer;
  const value = node.value;
  if (
    keyword === 'properties' &&
    detail !== undefined &&
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).properties === 'object' &&
    Object.hasOwn((value as { properties: object }).properties, detail)
  )
    return joinPointer(node.pointer, 'properties', detail);
  return joinPointer(node.pointer, keyword);
}
