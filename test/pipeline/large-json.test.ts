/**
 * A large JSON OpenAPI document (≥ 1 MB, like GitHub's 13 MB REST description) takes the fast paths:
 * the main thread parses it with JSON.parse, and so does Redocly in the OpenAPI worker rather than
 * with its YAML parser (load/redocly-resolver.ts); its problems are located in the JSON text rather
 * than a YAML AST (load/redocly-positions.ts), and openapi-typescript types the document the
 * validation read (openapi-worker.ts). The output and the
 * positions must be what the slow paths give: the warning's line and column are checked against
 * Redocly's own `getLineColLocation`, and the types against a small YAML copy of the same document.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { tempProject } from '../helpers/project.js';

function document(padding: string) {
  return {
    openapi: '3.0.3',
    info: { title: 'Big', version: '1.0.0', description: padding },
    security: [{ token: [] }],
    paths: {
      '/items/{itemId}': {
        get: {
          operationId: 'getItem',
          parameters: [{ name: 'itemId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The item.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['id'],
                    properties: {
                      id: { type: 'string' },
                      // `nullable` without `type`: a warning evtgen reports at this key.
                      owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/Owner' }] },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: { token: { type: 'http', scheme: 'bearer' } },
      schemas: { Owner: { type: 'object', properties: { login: { type: 'string' } } } },
    },
  };
}

describe('a large JSON OpenAPI document', () => {
  it('generates the same types as its small copy, with the warning where Redocly locates it', async () => {
    const bigText = JSON.stringify(document('x'.repeat(1_100_000)), null, 2);
    expect(bigText.length).toBeGreaterThan(1_000_000);
    const big = await tempProject({ 'specs/big.openapi.json': bigText });
    const small = await tempProject({
      'specs/big.openapi.json': JSON.stringify(document('Small.'), null, 2),
    });
    const [bigResult, smallResult] = [
      await generate(big, { force: true }),
      await generate(small, { force: true }),
    ];
    expect(bigResult.ok, JSON.stringify(bigResult.diagnostics)).toBe(true);
    expect(smallResult.ok).toBe(true);

    // The types differ only in the description they carry.
    const types = async (dir: string) =>
      (await readFile(join(dir, 'generated/http/big-openapi.ts'), 'utf8')).replace(/x{1000,}/, 'Small.');
    expect(await types(big)).toBe(await types(small));
    expect(await types(big)).toContain('getItem');

    // The warning's position is the one Redocly itself computes from its YAML AST of the file.
    const warning = bigResult.diagnostics.find((d) => d.code === 'openapi/nullable-without-type');
    expect(warning?.pointer).toBe(
      '/paths/~1items~1{itemId}/get/responses/200/content/application~1json/schema/properties/owner/nullable',
    );
    // Redocly's slow path on the same file: its YAML parser, its AST, its getLineColLocation.
    const config = await core.createConfig({ extends: [], rules: { struct: 'error' } } as never);
    const problems = await core.lint({ ref: join(big, 'specs/big.openapi.json'), config });
    const nullable = problems.find((p) => p.message.includes('`nullable`'));
    const location = nullable?.location[0];
    expect(location?.source.absoluteRef).toBe(join(big, 'specs/big.openapi.json'));
    const redocly = location ? core.getLineColLocation(location).start : undefined;
    expect(warning?.position).toEqual({ line: redocly?.line, column: redocly?.col });
    expect(bigText.split('\n')[(warning?.position.line ?? 0) - 1]).toContain('"nullable": true');
  });
});
