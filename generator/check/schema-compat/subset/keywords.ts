// The subset check of two schemas free of combinators, keyword family by keyword family: undecided
// keywords, literals (enum/const), types, then numbers, strings, arrays and objects for the
// types both sides admit.

import type { SchemaView } from '../node.js';
import { arrays } from './arrays.js';
import { numbers } from './bounds.js';
import { againstLiterals, values } from './literals.js';
import { objects } from './objects.js';
import { asSchema, type Pass, type Reason } from './pass.js';
import { strings } from './strings.js';
import { acceptsType, effectiveTypes, types } from './types.js';
import { undecidedKeywords } from './undecided.js';

/** Both sides free of combinators (a's may remain when they could not be resolved: ignored, sound). */
export function keywords(p: Pass, A: SchemaView, B: SchemaView): Reason[] {
  const sa = asSchema(A.schema);
  const sb = asSchema(B.schema);
  const reasons: Reason[] = [...undecidedKeywords(p, A, B, sa, sb)];

  // enum / const on the source side: the values decide everything.
  const aValues = 'const' in sa ? [sa.const] : Array.isArray(sa.enum) ? sa.enum : undefined;
  if (aValues) return [...reasons, ...values(p, A, B, aValues, sa, sb)];
  const ta = effectiveTypes(sa);
  if ('const' in sb || Array.isArray(sb.enum)) return [...reasons, ...againstLiterals(p, A, B, sa, sb, ta)];
  const tb = effectiveTypes(sb);
  reasons.push(...types(p, A, B, sa, sb, ta, tb));
  const shared = (t: string) => ta.has(t) && acceptsType(tb, t);
  if (shared('number') || shared('integer')) reasons.push(...numbers(p, A, B, sa, sb, ta));
  if (shared('string')) reasons.push(...strings(p, A, B, sa, sb));
  if (shared('array')) reasons.push(...arrays(p, A, B, sa, sb));
  if (shared('object')) reasons.push(...objects(p, A, B, sa, sb));
  return reasons;
}
