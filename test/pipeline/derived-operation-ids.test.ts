import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check/check.js';
import { generate } from '../../generator/generate.js';
import { loadContract } from '../../generator/model/build-model.js';
import { derivedOperationId } from '../../generator/model/operation-ids.js';
import { tempProject, typeCheckGenerated } from '../helpers/project.js';

/**
 * Operations without `operationId`, as many real specs have them: `generate` names them from
 * method and path (one warning per document), `check` identifies them by method and path.
 */
const api = (extraPath = '') => `openapi: 3.0.3
info: {title: Pets API, version: '1'}
security: []
paths:${extraPath}
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201': {description: ok}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get:
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
    delete:
      responses:
        '204': {description: gone}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
`;

const names = async (dir: string) =>
  (await loadContract(dir, join(dir, 'specs'))).model?.httpOperations.map(
    (op) => `${op.method} ${op.path} ${op.operationId}`,
  );

describe('operations without operationId', () => {
  it.each([
    ['GET', '/pets/{petId}', 'getPetsByPetId'],
    ['GET', '/', 'getRoot'],
    ['DELETE', '/{id}', 'deleteById'],
    ['post', '/v2/order-items/{item_id}/refunds', 'postV2OrderItemsByItemIdRefunds'],
    ['PUT', '/files/{path}.{ext}', 'putFilesByPathByExt'],
  ])('%s %s is named %s', (method, path, name) => {
    expect(derivedOperationId(method, path)).toBe(name);
  });

  it('generate names them from method and path, warns once per document, and the code type-checks', async () => {
    const dir = await tempProject({ 'specs/pets.openapi.yaml': api() });
    const result = await generate(dir, { mode: 'write', force: true });
    expect(
      result.diagnostics.map(
        (d) => `${d.file}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.code} ${d.message}`,
      ),
    ).toEqual([
      'specs/pets.openapi.yaml:6:5 warning operation-id-derived 3 operation(s) have no operationId; evtgen names them from method and path: GET /pets → getPets, GET /pets/{petId} → getPetsByPetId, DELETE /pets/{petId} → deletePetsByPetId.',
    ]);
    expect(await names(dir)).toEqual([
      'POST /pets createPet',
      'DELETE /pets/{petId} deletePetsByPetId',
      'GET /pets getPets',
      'GET /pets/{petId} getPetsByPetId',
    ]);
    expect((await readdir(join(dir, 'app/handlers/http'))).sort()).toEqual([
      'create-pet.ts',
      'delete-pets-by-pet-id.ts',
      'get-pets-by-pet-id.ts',
      'get-pets.ts',
    ]);
    const aliases = await readFile(join(dir, 'generated/http/operations.ts'), 'utf8');
    expect(aliases).toContain(
      "export type GetPetsByPetIdPathParams = NonNullable<PetsOpenapiPaths['/pets/{petId}']['get']['parameters']['path']>;",
    );
    expect(await typeCheckGenerated(dir)).toEqual([]);

    // An unrelated operation added before them changes none of their names.
    const again = await tempProject({
      'specs/pets.openapi.yaml': api("\n  /health:\n    get:\n      responses: {'200': {description: ok}}"),
    });
    const next = await generate(again, { mode: 'write', force: true });
    expect(next.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(await names(again)).toEqual(['GET /health getHealth', ...((await names(dir)) ?? [])].sort(byName));
  });

  it('check identifies them by method and path', async () => {
    const dir = await tempProject({
      'old/pets.openapi.yaml': api(),
      'specs/pets.openapi.yaml': api().replace(
        "    delete:\n      responses:\n        '204': {description: gone}\n",
        '',
      ),
    });
    const result = await check({ project: dir, against: `${dir}/old`, failOn: 'info', today: '2026-06-01' });
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId} ${f.level} ${f.subject}`)).toEqual([
      'operation-removed error DELETE /pets/{petId}',
    ]);
  });
});

function byName(a: string, b: string): number {
  const key = (s: string) => s.split(' ')[2] ?? '';
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
