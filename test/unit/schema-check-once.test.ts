import { describe, expect, it } from 'vitest';
import { checkSchema, checkSchemaOnce } from '../../generator/model/schema-check.js';

// `check` remembers the meta-schema check by a schema's JSON text; these are the cases where the
// text alone could mislead.
describe('checkSchemaOnce', () => {
  it('gives what checkSchema gives, the second time from memory', () => {
    const bad = { type: 'object', properties: { n: { type: 'integr' } } };
    const first = checkSchemaOnce(bad, 'draft-07');
    expect(first).toEqual(checkSchema(bad, 'draft-07'));
    expect(first.length).toBeGreaterThan(0);
    expect(checkSchemaOnce(structuredClone(bad), 'draft-07')).toEqual(first);
    expect(checkSchemaOnce(structuredClone(bad), '2020-12')).toEqual(checkSchema(bad, '2020-12'));
  });

  it('a YAML .inf spells as null in JSON: never confused with a real null', () => {
    expect(checkSchemaOnce({ maximum: Number.POSITIVE_INFINITY }, 'draft-07')).toEqual([]);
    expect(checkSchemaOnce({ maximum: null }, 'draft-07')).not.toEqual([]);
    expect(checkSchemaOnce({ maximum: Number.POSITIVE_INFINITY }, 'draft-07')).toEqual([]);
  });
});
