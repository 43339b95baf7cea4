import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check/check.js';
import { compareSchemas } from '../../generator/check/schema-compat/compare.js';
import { memorySchema } from '../../generator/check/schema-compat/memory.js';
import { SubsetChecker } from '../../generator/check/schema-compat/subset.js';
import { tempProject } from '../helpers/project.js';

/**
 * Recursive schemas are a normal case: a tree node that holds itself through a property, an array,
 * a map, a union, an allOf or a nullable `$ref`, and components that hold each other. Every pair
 * below overflowed the stack (or ran forever) when "anything" below an open object was located one
 * level deeper on every turn of the cycle, so the co-inductive memo never met the pair again.
 */

type J = Record<string, unknown>;
const ref = (name: string): J => ({ $ref: `#/definitions/${name}` });
const doc = (definitions: J, root = 'A'): J => ({ ...ref(root), definitions });
const node = (name: J = { type: 'string' }): J => ({
  type: 'object',
  properties: { name, next: ref('A'), kids: { type: 'array', items: ref('A') } },
});

/** [name, old, new, 3.0 reading, expected "rule bwd fwd" lines] */
const cases: [string, J, J, boolean, string[]][] = [
  [
    'self through a property and an array',
    doc({ A: node() }),
    doc({ A: node({ type: 'string', maxLength: 3 }) }),
    false,
    ['bound-tightened break ok /definitions/A/properties/name/maxLength'],
  ],
  [
    'mutual recursion across components',
    doc({
      A: { type: 'object', properties: { b: ref('B') } },
      B: { type: 'object', properties: { a: ref('A'), n: { type: 'integer' } } },
    }),
    doc({
      A: { type: 'object', properties: { b: ref('B') } },
      B: { type: 'object', properties: { a: ref('A'), n: { type: 'number' } } },
    }),
    false,
    ['type-widened ok break /definitions/B/properties/n/type'],
  ],
  [
    'self through a oneOf branch, a property added to the open branch',
    doc({ A: { oneOf: [{ type: 'string' }, { type: 'object', properties: { n: ref('A') } }] } }),
    doc({ A: { oneOf: [{ type: 'string' }, { type: 'object', properties: { n: ref('A'), m: ref('A') } }] } }),
    false,
    ['property-added-open-object unknown ok /definitions/A/oneOf/1/properties/m'],
  ],
  [
    'self through a oneOf branch (OpenAPI 3.0 reading)',
    doc({ A: { oneOf: [{ type: 'string' }, { type: 'object', properties: { n: ref('A') } }] } }),
    doc({ A: { oneOf: [{ type: 'string' }, { type: 'object', properties: { n: ref('A'), m: ref('A') } }] } }),
    true,
    ['property-added-open-object unknown ok /definitions/A/oneOf/1/properties/m'],
  ],
  [
    'self through a $ref with a nullable sibling (draft-07 reading)',
    doc({ A: { type: 'object', properties: { n: { $ref: '#/definitions/A', nullable: true } } } }),
    doc({
      A: {
        type: 'object',
        properties: { n: { $ref: '#/definitions/A', nullable: true }, m: { type: 'string' } },
      },
    }),
    false,
    ['property-added-open-object unknown ok /definitions/A/properties/m'],
  ],
  [
    'self through an allOf extension',
    doc({
      Base: { type: 'object', properties: { id: { type: 'string' } } },
      A: {
        allOf: [ref('Base'), { type: 'object', properties: { kids: { type: 'array', items: ref('A') } } }],
      },
    }),
    doc({
      Base: { type: 'object', properties: { id: { type: 'integer' } } },
      A: {
        allOf: [ref('Base'), { type: 'object', properties: { kids: { type: 'array', items: ref('A') } } }],
      },
    }),
    false,
    ['type-changed break break /definitions/Base/properties/id/type'],
  ],
  [
    'self through additionalProperties (a map of nodes)',
    doc({ A: { type: 'object', additionalProperties: ref('A') } }),
    doc({ A: { type: 'object', additionalProperties: ref('A'), maxProperties: 3 } }),
    false,
    ['bound-tightened break ok /definitions/A/maxProperties'],
  ],
  [
    'the whole document through $ref "#"',
    { type: 'object', properties: { n: { $ref: '#' }, x: { type: 'string' } } },
    { type: 'object', properties: { n: { $ref: '#' }, x: { type: 'integer' } } },
    false,
    ['type-changed break break /properties/x/type'],
  ],
  [
    'one turn of the cycle unfolded: the same language, no change',
    doc({ A: { type: 'object', properties: { n: ref('A') } } }),
    doc({ A: { type: 'object', properties: { n: { type: 'object', properties: { n: ref('A') } } } } }),
    false,
    [],
  ],
  [
    'an open object against a recursive array of itself',
    doc({ A: { type: 'object', properties: { kids: {} } } }),
    doc({ A: { type: 'object', properties: { kids: { type: 'array', items: ref('A') } } } }),
    false,
    [
      'type-narrowed break ok /definitions/A/properties/kids/type',
      'type-narrowed break ok /definitions/A/type',
    ],
  ],
];

describe('recursive schemas: exact changes, never a stack overflow', () => {
  for (const [name, oldSchema, newSchema, openapi30, expected] of cases) {
    it(name, () => {
      const a = memorySchema(oldSchema, { openapi30 });
      const b = memorySchema(newSchema, { openapi30 });
      const changes = compareSchemas(new SubsetChecker(a.ctx, b.ctx), a.node, b.node);
      expect(changes.map((c) => `${c.rule} ${c.bwd} ${c.fwd} ${c.newPointer}`).sort()).toEqual(expected);
    });
  }

  it('a chain deeper than 256 nested schemas is undecided, never a stack overflow', () => {
    const nest = (depth: number, leaf: J): J => {
      let s = leaf;
      for (let i = 0; i < depth; i++) s = { type: 'object', properties: { n: s } };
      return s;
    };
    // 300 levels: deep enough to pass the limit, shallow enough for the file parser.
    const a = memorySchema(nest(300, { type: 'string' }));
    const b = memorySchema(nest(300, { type: 'integer' }));
    const changes = compareSchemas(new SubsetChecker(a.ctx, b.ctx), a.node, b.node);
    expect(changes.map((c) => `${c.rule} ${c.bwd} ${c.fwd} ${c.detail}`)).toEqual([
      'schema-change-undecided unknown unknown nesting deeper than 256 levels',
    ]);
  });
});

const treeApi = (sumProps: string) => `openapi: 3.0.3
info: {title: Tree API, version: '1'}
paths:
  /exprs:
    put:
      operationId: putExpr
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Expr'}
      responses:
        '204': {description: ok}
components:
  schemas:
    Expr:
      oneOf:
        - {type: number}
        - $ref: '#/components/schemas/Sum'
    Sum:
      type: object
      required: [left, right]
      properties:
        left: {$ref: '#/components/schemas/Expr'}
        right: {$ref: '#/components/schemas/Expr'}${sumProps}
`;

describe('check on recursive components', () => {
  it('reports the change inside the cycle instead of overflowing the stack', async () => {
    const dir = await tempProject({
      'old/tree.openapi.yaml': treeApi(''),
      'specs/tree.openapi.yaml': treeApi("\n        note: {$ref: '#/components/schemas/Expr'}"),
    });
    const result = await check({ project: dir, against: `${dir}/old`, failOn: 'info', today: '2026-06-01' });
    expect(result.diagnostics).toEqual([]);
    expect(
      result.findings.map((f) => `${f.ruleId} ${f.level} ${f.file}:${f.position.line}:${f.position.column}`),
    ).toEqual(['property-added-open-object warn specs/tree.openapi.yaml:27:9']);
  });
});
