// One subset check of a pair of schemas, as every keyword family of the engine sees it: the pair,
// the direction (role), each side's reading context, and how a family reports a reason or recurses.

import type { SchemaContext, SchemaNode, SchemaView } from '../node.js';
import { isAnnotation } from '../node.js';

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

/** A schema object (a boolean schema reads as `{}` where its keywords are looked at). */
export type Schema = Readonly<Record<string, unknown>>;

/** What a pass recurses through: the memoized, co-inductive check (`SubsetChecker` in ../subset.ts). */
export interface Recursion {
  /** Reasons why L(a) ⊄ L(b) under `role`. */
  check(a: SchemaNode, b: SchemaNode, role: Role): Reason[];
  /** The reading context of side `a` or `b` under `role`. */
  ctx(side: 'a' | 'b', role: Role): SchemaContext;
  /** Whether the pair is under comparison further up (and so assumed to hold when met again). */
  underway(a: SchemaNode, b: SchemaNode, role: Role): boolean;
  /** `underway` by the pair's key (`pairKey` of ../node.ts). */
  underwayKey(key: number | string): boolean;
}

/** How a family words a reason: values and keyword as seen from `a` and `b`. */
export interface ReasonOptions {
  certain?: boolean;
  keyword?: string;
  aValue?: unknown;
  bValue?: unknown;
  detail?: string;
}

/** One subset check of a pair of schemas: `a` ⊆ `b` under `role`. */
export class Pass {
  /** The reading context of `a`. */
  readonly ca: SchemaContext;
  /** The reading context of `b`. */
  readonly cb: SchemaContext;

  constructor(
    readonly checker: Recursion,
    readonly a: SchemaNode,
    readonly b: SchemaNode,
    readonly role: Role,
  ) {
    this.ca = checker.ctx('a', role);
    this.cb = checker.ctx('b', role);
  }

  /** The same check on a pair of sub-schemas. */
  sub(a: SchemaNode, b: SchemaNode): Reason[] {
    return this.checker.check(a, b, this.role);
  }

  /** The other direction (for keywords that flip it, such as `not`). */
  get flipped(): Role {
    return this.role === 'bwd' ? 'fwd' : 'bwd';
  }

  /** A reason located at `aLoc`/`bLoc`, with old/new assigned by role. */
  reason(
    rule: string | { bwd: string; fwd: string },
    aLoc: SchemaNode,
    bLoc: SchemaNode,
    opts: ReasonOptions = {},
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

  /** The change of `keyword` is one the engine cannot decide. */
  undecided(A: SchemaView, B: SchemaView, keyword: string): Reason {
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
}

/** A schema's keywords (none for a boolean schema). */
export function asSchema(s: Schema | boolean): Schema {
  return typeof s === 'boolean' ? {} : s;
}

/** The schema without its annotations (titles, descriptions, examples…). */
export function stripAnnotations(s: Schema | boolean): unknown {
  if (typeof s === 'boolean') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (!isAnnotation(k)) out[k] = v;
  return out;
}
