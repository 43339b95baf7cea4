// Strings and formats in the subset engine: length bounds, `pattern` and the formats the generated
// validators assert.

import type { SchemaView } from '../node.js';
import { isAssertedFormat } from '../values.js';
import { lengthBounds } from './bounds.js';
import type { Pass, Reason, Schema } from './pass.js';

/** a's strings must meet b's length bounds, pattern and (asserted) format. */
export function strings(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  const out = lengthBounds(p, A, B, sa, sb, ['minLength', 'maxLength']);
  if (typeof sb.pattern === 'string' && sa.pattern !== sb.pattern) {
    out.push(
      typeof sa.pattern === 'string'
        ? p.reason('pattern-changed', A.loc, B.loc, {
            certain: false,
            keyword: 'pattern',
            aValue: sa.pattern,
            bValue: sb.pattern,
          })
        : p.reason({ bwd: 'pattern-added', fwd: 'pattern-removed' }, A.loc, B.loc, {
            keyword: 'pattern',
            aValue: sa.pattern,
            bValue: sb.pattern,
          }),
    );
  }
  if (typeof sb.format === 'string' && isAssertedFormat(sb.format) && sa.format !== sb.format) {
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
