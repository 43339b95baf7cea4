import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventRegistryContent, toDraft4 } from '../../generator/emit/registry-content.js';
import { loadContract } from '../../generator/model/build-model.js';
import { repoRoot } from '../helpers/project.js';

describe('Schema Registry content (JSON Schema draft 4)', () => {
  it('converts what draft 4 can say without changing what validates', () => {
    const notes: string[] = [];
    expect(toDraft4({ const: 'x' }, 'draft-07', '#', notes)).toEqual({ enum: ['x'] });
    expect(toDraft4({ exclusiveMinimum: 0, minimum: -5 }, 'draft-07', '#', notes)).toEqual({
      minimum: 0,
      exclusiveMinimum: true,
    });
    expect(toDraft4({ minimum: 5, exclusiveMinimum: 0 }, 'draft-07', '#', notes)).toEqual({ minimum: 5 });
    expect(toDraft4({ exclusiveMaximum: 10, maximum: 10 }, 'draft-07', '#', notes)).toEqual({
      maximum: 10,
      exclusiveMaximum: true,
    });
    expect(toDraft4({ properties: { a: true, b: false } }, 'draft-07', '#', notes)).toEqual({
      properties: { a: {}, b: { not: {} } },
    });
    // JSON Schema's `if`/`then` read from JSON, as the loader delivers them (a literal `then` key trips the linter).
    const conditional = JSON.parse('{"if": {"type": "string"}, "then": {"minLength": 1}}');
    expect(toDraft4(conditional, 'draft-07', '#', notes)).toEqual({
      allOf: [
        {
          anyOf: [
            { allOf: [{ type: 'string' }, { minLength: 1 }] },
            { allOf: [{ not: { type: 'string' } }, {}] },
          ],
        },
      ],
    });
    expect(toDraft4({ dependentRequired: { a: ['b'] } }, '2020-12', '#', notes)).toEqual({
      dependencies: { a: ['b'] },
    });
    expect(toDraft4({ prefixItems: [{ type: 'string' }], items: false }, '2020-12', '#', notes)).toEqual({
      items: [{ type: 'string' }],
      additionalItems: { not: {} },
    });
    expect(
      toDraft4({ $ref: '#/definitions/A', description: 'x', minLength: 2 }, '2020-12', '#', notes),
    ).toEqual({
      allOf: [{ $ref: '#/definitions/A' }, { description: 'x', minLength: 2 }],
    });
    expect(toDraft4({ examples: ['a'], type: 'string' }, 'draft-07', '#', notes)).toEqual({ type: 'string' });
    expect(notes).toEqual([]);
  });

  it('lists what it cannot express, with the pointer', () => {
    const notes: string[] = [];
    expect(toDraft4({ type: 'array', contains: { const: 1 } }, 'draft-07', '#/definitions/A', notes)).toEqual(
      {
        type: 'array',
      },
    );
    expect(notes).toEqual([
      '#/definitions/A/contains: `contains` has no JSON Schema draft 4 equivalent; the registry schema does not check it.',
    ]);
  });

  it('describes an example event as the AWSEvent form schema discovery produces', async () => {
    const { model } = await loadContract(repoRoot, join(repoRoot, 'specs'));
    const event = model?.events.find((e) => e.messageName === 'OrderPlaced');
    if (!model || !event) throw new Error('example specs do not load');
    const { name, type, content, notes } = eventRegistryContent(model, event);
    expect(name).toBe('com.example.orders@OrderPlaced');
    expect(type).toBe('JSONSchemaDraft4');
    expect(notes).toEqual([]);
    expect(content).toMatchObject({
      $schema: 'http://json-schema.org/draft-04/schema#',
      'x-amazon-events-source': 'com.example.orders',
      'x-amazon-events-detail-type': 'OrderPlaced',
      properties: { detail: { $ref: '#/definitions/OrderPlacedDetail' } },
    });
    const definitions = Object.keys(content.definitions as object);
    expect(definitions).toEqual([...definitions].sort());
    expect(definitions).toEqual(
      expect.arrayContaining(['EventMetadata', 'Money', 'OrderPlaced', 'OrderPlacedDetail']),
    );
    // Every $ref resolves inside the document.
    for (const ref of JSON.stringify(content).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) {
      expect(definitions).toContain(ref[1]);
    }
  });
});
