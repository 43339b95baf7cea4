import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { tempProject, typeCheckGenerated } from '../helpers/project.js';

/**
 * Recursive schemas through `generate`: a tree node holding itself through a nullable allOf, an
 * array and a map; an expression tree through a oneOf; AsyncAPI components holding each other.
 * Types refer to themselves by name and the validators check every level.
 */
const openapi = `
openapi: 3.0.3
info: {title: Tree API, version: '1'}
paths:
  /trees/{id}:
    get:
      operationId: getTree
      security: []
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
    put:
      operationId: putTree
      security: []
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Expr'}
      responses:
        '204': {description: ok}
components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        parent:
          allOf: [{$ref: '#/components/schemas/Node'}]
          nullable: true
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
        byName:
          type: object
          additionalProperties: {$ref: '#/components/schemas/Node'}
    Expr:
      oneOf:
        - {type: number}
        - $ref: '#/components/schemas/Sum'
    Sum:
      type: object
      required: [left, right]
      properties:
        left: {$ref: '#/components/schemas/Expr'}
        right: {$ref: '#/components/schemas/Expr'}
        extra:
          allOf:
            - {$ref: '#/components/schemas/Sum'}
            - {type: object, properties: {note: {type: string}}}
`;

const asyncapi = `
asyncapi: 3.0.0
info: {title: Trees, version: '1', x-eventbridge: {source: com.trees}}
channels:
  bus:
    address: trees-bus
    messages:
      TreeGrown: {$ref: '#/components/messages/TreeGrown'}
operations:
  publishTreeGrown:
    action: send
    channel: {$ref: '#/channels/bus'}
    messages: [{$ref: '#/channels/bus/messages/TreeGrown'}]
components:
  messages:
    TreeGrown:
      payload: {$ref: '#/components/schemas/Branch'}
  schemas:
    Branch:
      type: object
      properties:
        leaf: {$ref: '#/components/schemas/Leaf'}
        branches: {type: array, items: {$ref: '#/components/schemas/Branch'}}
    Leaf:
      type: object
      properties:
        size: {type: number}
        back: {$ref: '#/components/schemas/Branch'}
`;

type Validator = (value: unknown) => boolean;

describe('recursive schemas through generate', () => {
  it('generates self-referencing types and validators that check every level', async () => {
    const dir = await tempProject({
      'specs/tree.openapi.yaml': openapi.trimStart(),
      'specs/tree.asyncapi.yaml': asyncapi.trimStart(),
    });
    const result = await generate(dir, { mode: 'write', force: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(await typeCheckGenerated(dir)).toEqual([]);

    const models = await readFile(join(dir, 'generated/events/models.ts'), 'utf8');
    expect(models).toContain('export interface Branch {\n  leaf?: Leaf;\n  branches?: Branch[];\n}');
    expect(models).toContain('export interface Leaf {\n  size?: number;\n  back?: Branch;\n}');
    const http = await readFile(join(dir, 'generated/http/tree-openapi.ts'), 'utf8');
    expect(http).toContain('parent?: components["schemas"]["Node"] | null;');
    expect(http).toContain('Expr: number | components["schemas"]["Sum"];');

    const compiled = (await import(
      pathToFileURL(join(dir, 'generated/validators/compiled.js')).href
    )) as Record<string, Validator>;
    const node = compiled.GetTreeResponse200 as Validator;
    const deep = { name: 'a', parent: null, children: [{ name: 'b', byName: { c: { name: 'c' } } }] };
    expect(node(deep)).toBe(true);
    expect(
      node({ name: 'a', children: [{ name: 'b', byName: { c: { name: 1 } } }] }),
      'three levels down',
    ).toBe(false);
    const expr = compiled.PutTreeRequestBody as Validator;
    expect(expr({ left: 1, right: { left: 2, right: 3 } })).toBe(true);
    expect(expr({ left: 1, right: { left: 2, right: 'x' } }), 'a string deep in the tree').toBe(false);
    const grown = compiled.TreeGrown as Validator;
    expect(grown({ leaf: { size: 1, back: { branches: [{ leaf: { size: 2 } }] } } })).toBe(true);
    expect(grown({ leaf: { back: { branches: [{ leaf: { size: 'big' } }] } } })).toBe(false);
  });
});
