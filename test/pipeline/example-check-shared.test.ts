/**
 * The example check compiles with the validators' own ajv instances (emit/validators.ts
 * `validatorInstances`), so a response schema checked against its examples is compiled once, for
 * both. What that sharing must not change: every kind of example is still checked (a response, a
 * request body, a parameter, whose schema is no validator of its own), and ajv's complaints about a
 * schema reach the user once, as a located `validator-warning`, never printed on the console.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generate } from '../../generator/generate.js';
import { tempProject } from '../helpers/project.js';

const spec = (id: string, limit: unknown) => `openapi: 3.1.0
info: {title: Repos, version: 1.0.0}
security: []
paths:
  /repos/{id}:
    get:
      operationId: getRepo
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string, pattern: '^[a-z]+$'}
          example: ${id}
        - name: limit
          in: query
          schema: {type: integer, maximum: 10}
          example: ${JSON.stringify(limit)}
      responses:
        '200':
          description: The repository.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Repo'}
              examples:
                hello: {value: {name: octo/hello, stars: 3}}
    put:
      operationId: putRepo
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Repo'}
            example: {name: octo/hello, stars: -1}
      responses:
        '204': {description: Stored.}
components:
  schemas:
    Repo:
      type: object
      required: [name]
      properties:
        name: {type: string, format: repo.nwo}
        stars: {type: integer, minimum: 0}
`;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the example check on the validators’ instances', () => {
  it('checks bodies, responses and parameters, and reports an unknown format once, located, not on the console', async () => {
    const printed = [vi.spyOn(console, 'warn'), vi.spyOn(console, 'error'), vi.spyOn(console, 'log')];
    const dir = await tempProject({ 'specs/repos.openapi.yaml': spec('UPPER', 50) });
    const result = await generate(dir);
    const invalid = result.diagnostics.filter((d) => d.code === 'example-invalid');
    expect(invalid.map((d) => d.pointer).sort()).toEqual([
      '/paths/~1repos~1{id}/get/parameters/0/example',
      '/paths/~1repos~1{id}/get/parameters/1/example',
      '/paths/~1repos~1{id}/put/requestBody/content/application~1json/example/stars',
    ]);
    expect(result.ok).toBe(false);

    // The same spec with valid examples generates, and names the unknown format once, at the schema.
    const fixed = await tempProject({
      'specs/repos.openapi.yaml': spec('hello', 5).replace('stars: -1', 'stars: 1'),
    });
    const generated = await generate(fixed);
    expect(generated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(generated.ok).toBe(true);
    const warnings = generated.diagnostics.filter((d) => d.message.includes('repo.nwo'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      code: 'validator-warning',
      file: 'specs/repos.openapi.yaml',
      pointer: '/components/schemas/Repo',
    });
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
  });
});
