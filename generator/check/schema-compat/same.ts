// The subset engine's fast path: two schemas that are the same schema (keyword for keyword, with
// every `$ref` on both sides leading to schemas that are the same in turn) accept the same
// instances, so neither direction needs the keyword-by-keyword check. Most schemas of a real pair
// of versions are unchanged (GitHub's REST description, 22 → 23: the check visited ~86,000 pairs).

import type { SourceFile } from '../../load/source-file.js';
import { hasNoRef, isAnnotation, jsonEqual, originOf, type SchemaContext, type SchemaNode } from './node.js';

/** Keywords whose value is one schema, a list of schemas, or a map of names to schemas. */
const oneSchema = new Set(['additionalProperties', 'additionalItems']);
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const schemaMaps = new Set(['properties', 'patternProperties', 'dependentSchemas']);

/** Deeper than this (a nesting no spec writes by hand): not the same, and the full check decides. */
const maxDepth = 512;

type State = 'pending' | boolean;

interface Entry {
  readonly oldFile: SourceFile;
  readonly newFile: SourceFile;
  state: State;
}

/**
 * Decides "the old and the new schema are the same schema" for one pair of documents, memoized by
 * the pair of values. Only ever answers true when the two accept exactly the same instances:
 * annotations are ignored (the engine ignores them too), every other keyword must be equal, and the
 * keywords the engine cannot reason about must be equal word for word without `$ref`s (as the
 * engine requires them to be before it says nothing changed). Recursion through `$ref`s is
 * co-inductive: a pair already under comparison is assumed the same (sound: instances are finite).
 */
export class SameSchema {
  private readonly memo = new WeakMap<object, Map<object, Entry>>();
  private pending = 0;
  private assumptions = 0;
  private depth = 0;
  private readonly comparable: boolean;

  /** `kept`: annotations that count here (e.g. `readOnly` for the annotation rules). */
  constructor(
    private readonly oldCtx: SchemaContext,
    private readonly newCtx: SchemaContext,
    private readonly kept: ReadonlySet<string> = new Set(),
  ) {
    this.comparable = oldCtx.dialect === newCtx.dialect && oldCtx.openapi30 === newCtx.openapi30;
  }

  /** True when `oldNode` (read in the old document) and `newNode` (in the new) are the same schema. */
  nodes(oldNode: SchemaNode, newNode: SchemaNode): boolean {
    if (!this.comparable) return false;
    return this.values(oldNode.value, oldNode.file, newNode.value, newNode.file);
  }

  private values(ov: unknown, of: SourceFile, nv: unknown, nf: SourceFile): boolean {
    if (typeof ov !== 'object' || ov === null || typeof nv !== 'object' || nv === null) return ov === nv;
    if (Array.isArray(ov) || Array.isArray(nv)) return hasNoRef(ov) && hasNoRef(nv) && jsonEqual(ov, nv);
    let byNew = this.memo.get(ov);
    const known = byNew?.get(nv);
    if (known && known.oldFile === of && known.newFile === nf) {
      if (known.state !== 'pending') return known.state;
      this.assumptions++;
      return true;
    }
    if (known || this.depth >= maxDepth) return false;
    if (!byNew) {
      byNew = new Map();
      this.memo.set(ov, byNew);
    }
    const entry: Entry = { oldFile: of, newFile: nf, state: 'pending' };
    byNew.set(nv, entry);
    const before = this.assumptions;
    this.pending++;
    this.depth++;
    let result: boolean;
    try {
      result = this.objects(ov as Record<string, unknown>, of, nv as Record<string, unknown>, nf);
    } finally {
      this.pending--;
      this.depth--;
    }
    // A "same" that leaned on a pair still under comparison holds only once the outermost one does.
    if (!result || this.assumptions === before || this.pending === 0) entry.state = result;
    else byNew.delete(nv);
    return result;
  }

  private objects(
    ov: Record<string, unknown>,
    of: SourceFile,
    nv: Record<string, unknown>,
    nf: SourceFile,
  ): boolean {
    let count = 0;
    for (const k in ov) {
      if (!Object.hasOwn(ov, k) || this.ignored(k)) continue;
      if (!Object.hasOwn(nv, k)) return false;
      count++;
    }
    for (const k in nv) if (Object.hasOwn(nv, k) && !this.ignored(k)) count--;
    if (count !== 0) return false;
    for (const k in ov) {
      if (!Object.hasOwn(ov, k) || this.ignored(k)) continue;
      if (!this.keyword(k, ov[k], of, nv[k], nf)) return false;
    }
    return true;
  }

  private ignored(keyword: string): boolean {
    return isAnnotation(keyword) && !this.kept.has(keyword);
  }

  private keyword(k: string, ov: unknown, of: SourceFile, nv: unknown, nf: SourceFile): boolean {
    if (k === '$ref' && typeof ov === 'string' && typeof nv === 'string') {
      const o = this.oldCtx.resolve(of, ov, '');
      const n = this.newCtx.resolve(nf, nv, '');
      return o !== undefined && n !== undefined && this.values(o.value, o.file, n.value, n.file);
    }
    if (oneSchema.has(k) || (k === 'items' && !Array.isArray(ov) && !Array.isArray(nv)))
      return this.sub(ov, of, nv, nf);
    if (schemaLists.has(k) || k === 'items') {
      if (!Array.isArray(ov) || !Array.isArray(nv) || ov.length !== nv.length) return false;
      for (let i = 0; i < ov.length; i++) if (!this.sub(ov[i], of, nv[i], nf)) return false;
      return true;
    }
    if ((schemaMaps.has(k) || k === 'dependencies') && isMap(ov) && isMap(nv)) {
      const keys = Object.keys(ov);
      if (keys.length !== Object.keys(nv).length) return false;
      for (const name of keys) {
        if (!Object.hasOwn(nv, name)) return false;
        const o = ov[name];
        const n = nv[name];
        if (k === 'dependencies' && (Array.isArray(o) || Array.isArray(n))) {
          if (!jsonEqual(o, n)) return false;
        } else if (!this.sub(o, of, n, nf)) return false;
      }
      return true;
    }
    // Every other keyword (bounds, types, literals, and those the engine does not reason about).
    return hasNoRef(ov) && hasNoRef(nv) && jsonEqual(ov, nv);
  }

  /** A sub-schema: read in the file it came from (a merged schema's parts keep their origin). */
  private sub(ov: unknown, of: SourceFile, nv: unknown, nf: SourceFile): boolean {
    return this.values(ov, originOf(ov)?.file ?? of, nv, originOf(nv)?.file ?? nf);
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
