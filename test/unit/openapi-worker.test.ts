/**
 * The OpenAPI worker (generator/openapi-worker.ts) types a document it has validated without
 * Redocly's second walk, and sorts keys with one collator instead of one per comparison. Its output
 * must be openapi-typescript's own, byte for byte: here openapi-typescript runs in this process, with
 * nothing replaced, on a document with what those changes touch — keys whose order depends on the
 * collator's options, a schema `example` by `$ref` (Redocly's bundling inlines it, and
 * openapi-typescript writes it into the JSDoc), a discriminator mapping, and pointers whose keys
 * need escaping (openapi-typescript's `createRef`, remembered per path in the worker).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as core from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { startTyping, typeDocument, validateOpenApi } from '../../generator/openapi-worker.js';
import { tempProject } from '../helpers/project.js';

const keys = ['b10', 'b9', 'B2', 'a', 'A', 'é', 'e', 'z_1', 'z-1', '10', '9'];

const document = `openapi: 3.1.0
info: {title: Pets, version: 1.0.0}
security: []
paths:
${keys.map((k) => `  /${k}:\n    get:\n      operationId: get${keys.indexOf(k)}\n      responses:\n        '200': {$ref: '#/components/responses/Pet'}`).join('\n')}
  /a~b%2Fc/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getTilde
      responses:
        '200':
          description: A path whose key needs escaping in a pointer.
          content:
            application/json:
              schema:
                type: object
                properties: {n: {type: integer}, deep: {type: object, properties: {m: {type: string}}}}
                allOf: [{$ref: '#/components/schemas/Pet'}]
components:
  responses:
    Pet:
      description: A pet.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Pet'}
  schemas:
    Pet:
      type: object
      properties:
${keys.map((k) => `        ${JSON.stringify(k)}: {type: string}`).join('\n')}
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
      example: {$ref: '#/components/examples/rex'}
    FromPath: {$ref: '#/paths/~1a~0b%252Fc~1%7Bid%7D/get/responses/200/content/application~1json/schema/properties/deep'}
    WithDefs:
      type: object
      $defs: {'a/b~c%2F': {allOf: [{$ref: '#/components/schemas/Pet'}]}}
    Cat: {type: object, properties: {kind: {type: string}}}
    Dog: {type: object, properties: {kind: {type: string}}}
  examples:
    rex: {summary: Rex the dog, value: {kind: dog, a: Rex}}
`;

async function inProcess(path: string): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const redocly = await core.createConfig({ extends: [], rules: {} } as never);
  const url = pathToFileURL(path);
  return astToString(await openapiTS(url, { alphabetize: true, silent: true, redocly, cwd: url }));
}

describe('the OpenAPI worker', () => {
  it('types a document it validated as openapi-typescript does in process', async () => {
    const dir = await tempProject({ 'specs/pets.openapi.yaml': document });
    const path = join(dir, 'specs', 'pets.openapi.yaml');
    const typed = startTyping([path]);
    expect(await validateOpenApi(path, dir)).toEqual([]);
    const types = await typed.get(path);
    const expected = await inProcess(path);
    // What the test is about is in the output: the example Redocly inlines, and the sorted keys.
    expect(expected).toContain('Rex the dog');
    expect(expected.indexOf('"/9"')).toBeLessThan(expected.indexOf('"/10"'));
    // openapi-typescript finds the discriminator of an `allOf` member by the pointer its createRef
    // makes: here of a `$defs` key with "/", "~" and "%2F" (decoded, then escaped again).
    expect(expected).toContain('kind: "a/b~c/";');
    // A reference into a path whose key has "~", "/" and "%".
    expect(expected).toContain(
      'FromPath: paths["/a~b%2Fc/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["deep"];',
    );
    expect(types).toBe(expected);
  }, 60_000);

  it('types a document without its validation as openapi-typescript does in process', async () => {
    const dir = await tempProject({ 'specs/pets.openapi.yaml': document });
    const path = join(dir, 'specs', 'pets.openapi.yaml');
    expect(await typeDocument(pathToFileURL(path))).toBe(await inProcess(path));
  }, 60_000);
});
