import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../generator/model/build-model.js';
import { tempProject } from '../helpers/project.js';

/**
 * Secure by default, in the model: an operation with no security anywhere is an error for
 * generate and lint (the default), while check, registry and docs (`requireSecurity: false`) still
 * load such specs, e.g. a baseline written before the rule; `security: []` is public on purpose.
 */
const spec = (operationSecurity: string, documentSecurity = '') =>
  [
    'openapi: 3.1.0',
    'info: {title: Open, version: 1.0.0}',
    documentSecurity,
    'paths:',
    '  /things:',
    '    get:',
    '      operationId: listThings',
    operationSecurity,
    "      responses: {'204': {description: none}}",
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');

const dirs: string[] = [];
async function load(text: string, requireSecurity?: boolean) {
  const dir = await tempProject({ 'specs/api.openapi.yaml': text });
  dirs.push(dir);
  const options = requireSecurity === undefined ? { validate: false } : { validate: false, requireSecurity };
  return loadContract(dir, join(dir, 'specs'), options);
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('operations without security', () => {
  it('are an error by default, located at the operation, and withhold the model', async () => {
    const loaded = await load(spec(''));
    expect(loaded.model).toBeUndefined();
    expect(loaded.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'operation-security-missing',
        file: 'specs/api.openapi.yaml',
        position: { line: 5, column: 5 },
        pointer: '/paths/~1things/get',
        message: expect.stringMatching(/^GET \/things \(operationId listThings\) declares no security/),
      }),
    ]);
  });

  it('load for check, registry and docs (requireSecurity: false)', async () => {
    const loaded = await load(spec(''), false);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.model?.httpOperations[0]?.isPublic).toBe(true);
  });

  it('`security: []` on the operation or on the document is public on purpose', async () => {
    for (const text of [spec('      security: []'), spec('', 'security: []')]) {
      const loaded = await load(text);
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.model?.httpOperations[0]?.isPublic).toBe(true);
    }
  });

  it('a document-level requirement is inherited: not public, no error', async () => {
    const secured = `${spec('', 'security: [{jwt: []}]')}\ncomponents:\n  securitySchemes:\n    jwt: {type: http, scheme: bearer}\n`;
    const loaded = await load(secured);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.model?.httpOperations[0]).toMatchObject({ isPublic: false, security: ['jwt'] });
  });
});
