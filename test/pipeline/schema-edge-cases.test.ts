import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { tempProject, typeCheckGenerated } from '../helpers/project.js';

/**
 * Valid schemas that the libraries evtgen wraps get wrong, each with the wrapper that fixes it:
 * - OpenAPI 3.1 boolean subschemas: Redocly's `struct` rule refuses them, and openapi-typescript 7.13
 *   crashes on a boolean `allOf` member (http-types.ts decorates them into object form);
 * - a property named `constructor`: Redocly `struct` checks it against Object.prototype.constructor;
 *   ajv counts inherited members as present unless `ownProperties` is set;
 * - payloads json-schema-to-typescript collapses to `unknown` and then declares nothing for.
 */
const openapi = `openapi: 3.1.0
info: {title: Edge, version: 1.0.0}
paths:
  /things:
    post:
      operationId: createThing
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              allOf:
                - true
                - type: object
                  required: [constructor]
                  properties:
                    constructor: {type: string}
                    anything: true
                    nothing: false
              not: false
      responses:
        '204': {description: created}
`;

const asyncapi = `asyncapi: 3.0.0
info:
  title: Edge
  version: 1.0.0
  x-eventbridge: {source: test.edge}
channels:
  edge:
    address: edge
    messages:
      Anything: {$ref: '#/components/messages/Anything'}
      Nothing: {$ref: '#/components/messages/Nothing'}
      EmptyAllOf: {$ref: '#/components/messages/EmptyAllOf'}
operations:
  publish:
    action: send
    channel: {$ref: '#/channels/edge'}
components:
  messages:
    Anything:
      summary: Any payload at all.
      payload: {description: Whatever the producer sends.}
    Nothing:
      payload:
        type: object
        properties:
          never: {$ref: '#/components/schemas/Holder/properties/never'}
    EmptyAllOf:
      payload:
        allOf: [{}]
  schemas:
    Holder:
      type: object
      properties:
        never: false
`;

type Validator = (value: unknown) => boolean;

describe('schemas the wrapped libraries get wrong', () => {
  it('generates, type-checks and validates them as JSON Schema says', async () => {
    const dir = await tempProject({
      'specs/edge.openapi.yaml': openapi,
      'specs/edge.asyncapi.yaml': asyncapi,
    });
    const result = await generate(dir, { mode: 'write', force: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(await typeCheckGenerated(dir)).toEqual([]);

    const models = await readFile(join(dir, 'generated/events/models.ts'), 'utf8');
    expect(models).toMatch(/\* Whatever the producer sends\.\n \*\/\nexport type Anything = unknown;/);
    // `Never` is taken by the naming pass's reserved words, hence the suffix.
    expect(models).toMatch(/export type NeverModel = never;/);
    expect(models).toMatch(/export type EmptyAllOf = unknown;/);

    const compiled = (await import(
      pathToFileURL(join(dir, 'generated/validators/compiled.js')).href
    )) as Record<string, Validator>;
    const body = compiled.CreateThingRequestBody as Validator;
    expect(body({ constructor: 'x' })).toBe(true);
    expect(body({ constructor: 'x', anything: [1] })).toBe(true);
    expect(body({ constructor: 'x', nothing: 1 }), '`nothing: false` forbids the property').toBe(false);
    expect(body({}), 'an inherited `constructor` does not satisfy `required`').toBe(false);
    expect((compiled.Nothing as Validator)({})).toBe(true);
    expect((compiled.Nothing as Validator)({ never: 1 }), 'the `false` schema accepts nothing').toBe(false);
    expect((compiled.Anything as Validator)(42)).toBe(true);
  });
});
