import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { tempProject, typeCheckGenerated } from '../helpers/project.js';

type Compiled = Record<string, (value: unknown) => boolean>;

/**
 * An OpenAPI 3.0 document using the 3.0 schema keywords real specs use: boolean exclusive bounds
 * (also in a query parameter and a shared fragment, and once without the bound they qualify),
 * `nullable`, `example`, `discriminator`, `readOnly`/`writeOnly` and `xml`. Refused before as
 * "not valid JSON Schema draft-07".
 */
const openapi = `openapi: 3.0.3
info: {title: Pets API, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      security: []
      parameters:
        - name: limit
          in: query
          schema: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false, example: 3}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
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
        weight: {$ref: 'schemas/common.yaml#/Weight'}
`;

const common = `Weight: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 100, exclusiveMaximum: true, nullable: true, example: 2}
`;

describe('OpenAPI 3.0 schema keywords through generate', () => {
  it('validates and types them as OpenAPI 3.0 defines them', async () => {
    const dir = await tempProject({
      'specs/pets.openapi.yaml': openapi,
      'specs/schemas/common.yaml': common,
    });
    const result = await generate(dir, { mode: 'write', force: true });
    expect(
      result.diagnostics.map(
        (d) => `${d.file}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.code} ${d.message}`,
      ),
    ).toEqual([
      'specs/pets.openapi.yaml:31:30 warning openapi/exclusive-without-bound `exclusiveMinimum: true` without `minimum` has no effect in OpenAPI 3.0 (it makes an existing `minimum` exclusive); evtgen ignores it.',
    ]);
    expect(await typeCheckGenerated(dir)).toEqual([]);

    const http = await readFile(join(dir, 'generated/http/pets-openapi.ts'), 'utf8');
    expect(http).toContain('Weight: number | null;');
    expect(http).toContain('readonly id?: string;');

    const compiled = (await import(
      pathToFileURL(join(dir, 'generated/validators/compiled.js')).href
    )) as Compiled;
    const query = compiled.ListPetsQuery as Compiled[string];
    expect(query({ limit: 0 }), 'exclusiveMinimum: true makes minimum 0 exclusive').toBe(false);
    expect(query({ limit: 1 })).toBe(true);
    expect(query({ limit: 10 }), 'exclusiveMaximum: false keeps maximum 10 inclusive').toBe(true);
    const pet = compiled.ListPetsResponse200 as Compiled[string];
    const rex = { name: 'Rex', petType: 'dog' };
    expect(pet({ ...rex, weight: null }), 'nullable in a shared fragment').toBe(true);
    expect(pet({ ...rex, weight: 50 })).toBe(true);
    expect(pet({ ...rex, weight: 0 })).toBe(false);
    expect(pet({ ...rex, weight: 100 })).toBe(false);
    expect(pet({ ...rex, age: -3 }), 'a bound-less exclusiveMinimum bounds nothing').toBe(true);
    expect(pet({ name: 'Rex' }), 'discriminator does not replace required').toBe(false);
  });
});
