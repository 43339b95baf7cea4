/**
 * The OpenAPI worker (generator/openapi-worker.ts) types a document it has validated without
 * Redocly's second walk, and sorts keys with one collator instead of one per comparison. Its output
 * must be openapi-typescript's own, byte for byte: here openapi-typescript runs in this process, with
 * nothing replaced, on a document with what those changes touch — keys whose order depends on the
 * collator's options, a schema `example` by `$ref` (Redocly's bundling inlines it, and
 * openapi-typescript writes it into the JSDoc) and a discriminator mapping.
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
    expect(types).toBe(expected);
  }, 60_000);

  it('types a document without its validation as openapi-typescript does in process', async () => {
    const dir = await tempProject({ 'specs/pets.openapi.yaml': document });
    const path = join(dir, 'specs', 'pets.openapi.yaml');
    expect(await typeDocument(pathToFileURL(path))).toBe(await inProcess(path));
  }, 60_000);
});
