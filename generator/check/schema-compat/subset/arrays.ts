// Arrays and tuples in the subset engine: item counts, `uniqueItems`, and the item schemas position
// by position. Both tuple spellings (`items` as an array + `additionalItems`; 2020-12 `prefixItems`
// + `items`) and the plain `items` read as one shape: a prefix of positional schemas and a rest
// schema, so a list becoming a tuple, a tuple growing or an array closing compare like any other.

import { anythingAt, child, type SchemaNode, type SchemaView, viewOf } from '../node.js';
import { bound, lengthBounds } from './bounds.js';
import type { Pass, Reason, Schema } from './pass.js';

/** An array schema as positional schemas then one schema for every later item (undefined: anything). */
interface ArrayShape {
  readonly prefix: readonly SchemaNode[];
  readonly rest: SchemaNode | undefined;
}

/**
 * The shape ajv reads: an array-valued `items` is a tuple in every dialect (with `additionalItems`
 * for the rest; ajv ignores `additionalItems` beside a single `items`); in 2020-12 `prefixItems`
 * is the tuple and `items` the rest.
 */
function shapeOf(view: SchemaView, s: Schema, dialect: string): ArrayShape {
  const at = view.loc;
  if (Array.isArray(s.items)) {
    return {
      prefix: s.items.map((_, i) => child(at, 'items', i)),
      rest: s.additionalItems !== undefined ? child(at, 'additionalItems') : undefined,
    };
  }
  const prefix =
    dialect === '2020-12' && Array.isArray(s.prefixItems)
      ? s.prefixItems.map((_, i) => child(at, 'prefixItems', i))
      : [];
  return { prefix, rest: s.items !== undefined ? child(at, 'items') : undefined };
}

/** a's arrays must meet b's item counts, uniqueness and item schemas, position by position. */
export function arrays(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  const out = lengthBounds(p, A, B, sa, sb, ['minItems', 'maxItems']);
  if (
    sb.uniqueItems === true &&
    sa.uniqueItems !== true &&
    !(typeof sa.maxItems === 'number' && sa.maxItems <= 1)
  )
    out.push(...bound(p, A, B, 'uniqueItems', sa, sb, false));
  out.push(...itemSchemas(p, A, B, sa, sb));
  return out;
}

function itemSchemas(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  const a = shapeOf(A, sa, p.ca.dialect);
  const b = shapeOf(B, sb, p.cb.dialect);
  const aMax = typeof sa.maxItems === 'number' ? sa.maxItems : Number.POSITIVE_INFINITY;
  const out: Reason[] = [];
  // Positions 0..last-1 are positional on at least one side; `last` stands for every later item.
  const last = Math.max(a.prefix.length, b.prefix.length);
  for (let i = 0; i <= last; i++) {
    // a's arrays never reach position i: nothing there to read.
    if (i >= aMax) break;
    const aItem = i < a.prefix.length ? a.prefix[i] : a.rest;
    const bItem = i < b.prefix.length ? b.prefix[i] : b.rest;
    const aNode = aItem ?? anythingAt(A, child(A.loc, 'items'));
    if (viewOf(aNode, p.ca).schema === false) break;
    if (bItem === undefined) continue;
    if (viewOf(bItem, p.cb).schema === false) {
      // b's arrays end before position i where a's go on: the content model closed (or opened).
      out.push(
        p.reason({ bwd: 'array-closed', fwd: 'array-opened' }, A.loc, B.loc, {
          keyword: keywordAt(sb, i < b.prefix.length),
          detail: String(i),
        }),
      );
      break;
    }
    out.push(...p.sub(aNode, bItem));
  }
  return out;
}

/** The keyword that holds a positional schema (`positional`) or the rest schema of `s`. */
function keywordAt(s: Schema, positional: boolean): string {
  if (Array.isArray(s.items)) return positional ? 'items' : 'additionalItems';
  return positional ? 'prefixItems' : 'items';
}
