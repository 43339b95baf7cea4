import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check/check.js';
import { compareSchemas } from '../../generator/check/schema-compat/compare.js';
import { memorySchema } from '../../generator/check/schema-compat/memory.js';
import { SubsetChecker } from '../../generator/check/schema-compat/subset.js';
import { tempProject } from '../helpers/project.js';

/**
 * OpenAPI 3.0 schemas read as 3.0 defines them: boolean `exclusiveMinimum/Maximum` qualify
 * `minimum/maximum` (and mean nothing alone), `nullable` adds null, and `example`,
 * `discriminator`, `readOnly`, `writeOnly` and `xml` are annotations that change no instance.
 */

type J = Record<string, unknown>;

/** [name, old, new, expected "rule bwd fwd pointer old→new" lines] */
const cases: [string, J, J, string[]][] = [
  [
    'exclusiveMinimum: true added to a minimum',
    { type: 'number', minimum: 0 },
    { type: 'number', minimum: 0, exclusiveMinimum: true },
    ['bound-tightened break ok /exclusiveMinimum undefined→0'],
  ],
  [
    'exclusiveMaximum: true removed from a maximum',
    { type: 'number', maximum: 9, exclusiveMaximum: true },
    { type: 'number', maximum: 9 },
    ['bound-loosened ok break /exclusiveMaximum 9→undefined'],
  ],
  [
    'exclusiveMinimum: true without minimum removed: it meant nothing',
    { type: 'number', exclusiveMinimum: true },
    { type: 'number' },
    [],
  ],
  [
    'example, readOnly, writeOnly and xml added: annotations',
    { type: 'string' },
    { type: 'string', example: 'x', readOnly: true, writeOnly: false, xml: { name: 'a' } },
    [],
  ],
  [
    'discriminator added: an annotation',
    { type: 'object', properties: { t: { type: 'string' } } },
    { type: 'object', discriminator: { propertyName: 't' }, properties: { t: { type: 'string' } } },
    [],
  ],
  [
    'nullable: true added',
    { type: 'string' },
    { type: 'string', nullable: true },
    ['nullable-added ok break /type "string"→["string","null"]'],
  ],
];

describe('OpenAPI 3.0 keywords in the checker', () => {
  for (const [name, oldSchema, newSchema, expected] of cases) {
    it(name, () => {
      const a = memorySchema(oldSchema, { openapi30: true });
      const b = memorySchema(newSchema, { openapi30: true });
      const changes = compareSchemas(new SubsetChecker(a.ctx, b.ctx), a.node, b.node);
      expect(
        changes.map(
          (c) =>
            `${c.rule} ${c.bwd} ${c.fwd} ${c.newPointer} ${JSON.stringify(c.oldValue)}→${JSON.stringify(c.newValue)}`,
        ),
      ).toEqual(expected);
    });
  }

  it('loads 3.0 documents that use every 3.0 keyword, and finds the one real change', async () => {
    const api = (weight: string) => `openapi: 3.0.3
info: {title: Pets API, version: '1'}
paths:
  /pets:
    post:
      operationId: createPet
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '204': {description: created}
components:
  schemas:
    Pet:
      type: object
      required: [name, petType]
      discriminator: {propertyName: petType}
      xml: {name: pet}
      example: {name: Rex, petType: dog}
      properties:
        id: {type: string, readOnly: true}
        secret: {type: string, writeOnly: true}
        name: {type: string, example: Rex, xml: {attribute: true}}
        petType: {type: string}
        age: {type: integer, exclusiveMinimum: true}
        weight: ${weight}
        tag: {type: string, nullable: true}
`;
    const dir = await tempProject({
      'old/pets.openapi.yaml': api('{type: number, minimum: 0, maximum: 100, exclusiveMaximum: true}'),
      'specs/pets.openapi.yaml': api(
        '{type: number, minimum: 0, exclusiveMinimum: true, maximum: 100, exclusiveMaximum: true}',
      ),
    });
    const result = await check({ project: dir, against: `${dir}/old`, failOn: 'info', today: '2026-06-01' });
    expect(result.diagnostics).toEqual([]);
    expect(
      result.findings.map((f) => `${f.ruleId} ${f.level} ${f.file}:${f.position.line}:${f.position.column}`),
    ).toEqual(['bound-tightened error specs/pets.openapi.yaml:29:44']);
  });
});
