import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTime } from '../../generator/formats/date-time.js';

/** evtgen's date-time check must accept exactly what ajv-formats' full `date-time` accepts. */
const reference = fullFormats['date-time'] as { validate: (s: string) => boolean } | ((s: string) => boolean);
const accepts = (s: string) => (typeof reference === 'function' ? reference(s) : reference.validate(s));

const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
/** Strings near the RFC 3339 shape: every part varied, including out-of-range and odd separators. */
const nearDateTime = fc
  .tuple(
    digits(4, 9999),
    digits(2, 19),
    digits(2, 39),
    fc.constantFrom('T', 't', ' ', '\t', 'x', 'TT', ''),
    digits(2, 29),
    digits(2, 69),
    digits(2, 69),
    fc.constantFrom('', '.5', '.123456', '.'),
    fc.constantFrom('Z', 'z', '', '+00:00', '-23:59', '+24:00', '+05:30', '-0130', '+01', '+00:60', '-00:01'),
  )
  .map(([y, mo, d, sep, h, mi, s, frac, tz]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${tz}`);

describe('fast date-time format', () => {
  it('agrees with ajv-formats on known cases', () => {
    for (const s of [
      '2025-03-14T09:26:53Z',
      '2024-02-29T00:00:00+01:00',
      '2023-02-29T00:00:00Z',
      '1998-12-31T23:59:60Z',
      '1998-12-31T15:59:60.123-08:00',
      '1998-12-31T23:58:60Z',
      '2025-03-14T09:26:53',
      '2025-03-14 09:26:53.5z',
      '2025-03-14T09:26:53Z\n',
    ]) {
      expect(dateTime(s), s).toBe(accepts(s));
    }
  });

  it('agrees with ajv-formats on 20 000 generated strings', () => {
    fc.assert(
      fc.property(fc.oneof(nearDateTime, fc.string()), (s) => dateTime(s) === accepts(s)),
      { numRuns: 20_000 },
    );
  });
});
