// Strings and formats in the subset engine: length bounds, `pattern` (literal patterns compared in
// ../patterns.ts) and the formats the generated validators assert.

import type { SchemaView } from '../node.js';
import { patternIncluded } from '../patterns.js';
import { formatIncluded, isAssertedFormat } from '../values.js';
import { lengthBounds } from './bounds.js';
import type { Pass, Reason, Schema } from './pass.js';

/** a's strings must meet b's length bounds, pattern and (asserted) format. */
export function strings(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  const out = lengthBounds(p, A, B, sa, sb, ['minLength', 'maxLength']);
  if (typeof sb.pattern === 'string' && sa.pattern !== sb.pattern) out.push(...patterns(p, A, B, sa, sb));
  if (
    typeof sb.format === 'string' &&
    isAssertedFormat(sb.format) &&
    !(typeof sa.format === 'string' && formatIncluded(sa.format, sb.format))
  ) {
    out.push(
      typeof sa.format === 'string' && isAssertedFormat(sa.format)
        ? p.reason('format-changed', A.loc, B.loc, {
            keyword: 'format',
            aValue: sa.format,
            bValue: sb.format,
          })
        : p.reason({ bwd: 'format-added', fwd: 'format-removed' }, A.loc, B.loc, {
            keyword: 'format',
            aValue: sa.format,
            bValue: sb.format,
          }),
    );
  }
  return out;
}

/** b's pattern for a's strings: added, or changed in a way decided cheaply (../patterns.ts). */
function patterns(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  const values = { keyword: 'pattern', aValue: sa.pattern, bValue: sb.pattern };
  if (typeof sa.pattern !== 'string')
    return [p.reason({ bwd: 'pattern-added', fwd: 'pattern-removed' }, A.loc, B.loc, values)];
  const lengthOk = (s: Schema) => (text: string) => {
    const n = [...text].length;
    return (
      !(typeof s.minLength === 'number' && n < s.minLength) &&
      !(typeof s.maxLength === 'number' && n > s.maxLength)
    );
  };
  const aInB = patternIncluded(sa.pattern, sb.pattern as string, lengthOk(sa));
  if (aInB === true) return [];
  if (aInB === undefined) return [p.reason('pattern-changed', A.loc, B.loc, { ...values, certain: false })];
  // Neither includes the other: one change breaks both readers, reported once from both passes.
  const bInA = patternIncluded(sb.pattern as string, sa.pattern, lengthOk(sb));
  return [
    bInA === false
      ? p.reason('pattern-replaced', A.loc, B.loc, values)
      : p.reason({ bwd: 'pattern-tightened', fwd: 'pattern-loosened' }, A.loc, B.loc, values),
  ];
}
