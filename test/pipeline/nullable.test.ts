import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { tempProject } from '../helpers/project.js';

type Compiled = Record<string, (value: unknown) => boolean>;

/** The same contract written in OpenAPI 3.0 (`nullable`) and 3.1 (`type: [.., 'null']`). */
function openapi(version: '3.0.3' | '3.1.0'): string {
  const nullableString = version === '3.0.3' ? '{type: string, nullable: true}' : "{type: [string, 'null']}";
  const nullableEnum =
    version === '3.0.3'
      ? '{type: string, enum: [red, green], nullable: true}'
      : "{type: [string, 'null'], enum: [red, green, null]}";
  const nullableRef =
    version === '3.0.3'
      ? "{nullable: true, allOf: [{$ref: '#/components/schemas/Address'}]}"
      : "{anyOf: [{$ref: '#/components/schemas/Address'}, {type: 'null'}]}";
  return `openapi: ${version}
info: {title: Nullable, version: 1.0.0}
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
              type: object
              required: [note, colour, address]
              properties:
                note: ${nullableString}
                colour: ${nullableEnum}
                address: ${nullableRef}
      responses:
        '204': {description: created}
components:
  schemas:
    Address:
      type: object
      required: [city]
      properties:
        city: {type: string}
`;
}

async function compiledFor(version: '3.0.3' | '3.1.0') {
  const dir = await tempProject({ 'specs/api.openapi.yaml': openapi(version) });
  const result = await generate(dir, { mode: 'write', force: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const compiled = (await import(
    pathToFileURL(join(dir, 'generated/validators/compiled.js')).href
  )) as Compiled;
  const types = await readFile(join(dir, 'generated/http/api-openapi.ts'), 'utf8');
  return { validate: compiled.CreateThingRequestBody as (value: unknown) => boolean, types };
}

describe('OpenAPI 3.0 nullable and 3.1 null types behave the same', () => {
  const samples: [string, unknown, boolean][] = [
    ['all null', { note: null, colour: null, address: null }, true],
    ['all set', { note: 'n', colour: 'red', address: { city: 'Oslo' } }, true],
    ['number where string|null', { note: 5, colour: null, address: null }, false],
    ['enum value outside the list', { note: null, colour: 'blue', address: null }, false],
    ['invalid referenced object', { note: null, colour: null, address: {} }, false],
    ['missing required property', { colour: null, address: null }, false],
  ];

  it('validates identically', async () => {
    const v30 = await compiledFor('3.0.3');
    const v31 = await compiledFor('3.1.0');
    for (const [name, value, expected] of samples) {
      expect({ name, valid: v30.validate(value) }).toEqual({ name, valid: expected });
      expect({ name, valid: v31.validate(value) }).toEqual({ name, valid: expected });
    }
    // openapi-typescript types both spellings as `| null`.
    expect(v30.types).toMatch(/note: string \| null;/);
    expect(v31.types).toMatch(/note: string \| null;/);
  });
});
