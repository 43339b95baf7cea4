import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../../generator/check/schema-compat/compare.js';
import { memorySchema } from '../../generator/check/schema-compat/memory.js';
import { SameSchema } from '../../generator/check/schema-compat/same.js';
import { SubsetChecker } from '../../generator/check/schema-compat/subset.js';

type J = Record<string, unknown>;
const ref = (name: string): J => ({ $ref: `#/definitions/${name}` });
const doc = (definitions: J, root = 'A'): J => ({ ...ref(root), definitions });

function same(oldSchema: J, newSchema: J, openapi30 = false): boolean {
  const a = memorySchema(oldSchema, { openapi30 });
  const b = memorySchema(newSchema, { openapi30 });
  return new SameSchema(a.ctx, b.ctx).nodes(a.node, b.node);
}

function changes(oldSchema: J, newSchema: J): string[] {
  const a = memorySchema(oldSchema);
  const b = memorySchema(newSchema);
  return compareSchemas(new SubsetChecker(a.ctx, b.ctx), a.node, b.node)
    .map((c) => `${c.rule} ${c.bwd} ${c.fwd} ${c.newPointer}`)
    .sort();
}

const tree = (leaf: J): J =>
  doc({ A: { type: 'object', properties: { name: leaf, kids: { type: 'array', items: ref('A') } } } });

describe('the same schema on both sides (the engine fast path)', () => {
  it('a component renamed, its content unchanged: the same schema', () => {
    expect(
      same(
        doc({ A: { type: 'object', properties: { b: ref('B') } }, B: { type: 'string' } }),
        doc({ A: { type: 'object', properties: { b: ref('Renamed') } }, Renamed: { type: 'string' } }),
      ),
    ).toBe(true);
  });

  it('annotations differ only: the same schema', () => {
    expect(
      same(
        { type: 'object', title: 'x', properties: { description: { type: 'string' } } },
        { type: 'object', description: 'y', properties: { description: { type: 'string', example: 'z' } } },
      ),
    ).toBe(true);
  });

  it('a property named like an annotation keyword is a property, not an annotation', () => {
    expect(
      same(
        { type: 'object', properties: { title: { type: 'string' } } },
        { type: 'object', properties: { title: { type: 'integer' } } },
      ),
    ).toBe(false);
  });

  it('a change behind a $ref is seen', () => {
    expect(same(tree({ type: 'string' }), tree({ type: 'string', maxLength: 3 }))).toBe(false);
  });

  it('recursion through $refs: the same tree is the same schema', () => {
    expect(same(tree({ type: 'string' }), tree({ type: 'string' }))).toBe(true);
  });

  it('a keyword the engine cannot decide, with a $ref inside, is left to the engine', () => {
    const s = doc({ A: { not: ref('B') }, B: { type: 'string' } });
    expect(same(s, s)).toBe(false);
  });

  it('the OpenAPI 3.0 reading on one side only: never the same', () => {
    const a = memorySchema({ type: 'string' }, { openapi30: true });
    const b = memorySchema({ type: 'string' });
    expect(new SameSchema(a.ctx, b.ctx).nodes(a.node, b.node)).toBe(false);
  });
});

describe('oneOf beside other keywords, unchanged (GitHub: code-scanning variant analyses)', () => {
  // `required` reordered, so the fast path does not apply and the engine decides.
  const body = (required: string[]): J => ({
    type: 'object',
    properties: {
      language: ref('Lang'),
      query_pack: { type: 'string' },
      repositories: { type: 'array', items: { type: 'string' } },
    },
    required,
    oneOf: [
      { required: ['repositories'] },
      { required: ['repository_lists'] },
      { required: ['repository_owners'] },
    ],
    definitions: { Lang: { type: 'string', enum: ['go', 'java'] } },
  });

  it('no "oneOf branches may overlap" for branches that are the same on both sides', () => {
    expect(changes(body(['language', 'query_pack']), body(['query_pack', 'language']))).toEqual([]);
  });
});
