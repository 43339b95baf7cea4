/**
 * problemStart (generator/load/redocly-positions.ts) gives every Redocly problem the position
 * Redocly's own getLineColLocation gives it: checked on real broken documents (YAML and JSON, CRLF
 * line ends, a problem in a referenced file, problems reported on keys and on empty values).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { problemStart } from '../../generator/load/redocly-positions.js';

const brokenYaml = `openapi: 3.0.3
info:
  title: Broken
  version: '1'
paths:
  /orders/{orderId}:
    get:
      operationId: getOrder
      parameters:
        - name: orderId
          in: path
          required: true
          schema: {type: string, nullable: true}
      responses:
        '200':
          description: ok
          headers:
            ETag:
              requird: true
              schema:
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Missing'
  /orders/{id}:
    get:
      operationId: getOrder
      responses:
        '200':
          description:
          content:
            application/json:
              schema:
                $ref: './other.yaml#/Order'
components:
  schemas:
    Order:
      type: objekt
      nullable: true
`;

const otherYaml = `Order:
  type: object
  properties:
    id: {type: strin}
    total:
      $ref: '#/Nope'
`;

async function problemsOf(entry: string) {
  const config = await core.createConfig({
    // Redocly's recommended rules on top: many kinds of problems, on keys and on values.
    extends: ['recommended'],
    rules: {
      struct: 'error',
      'no-unresolved-refs': 'error',
      'operation-operationId-unique': 'error',
      'path-parameters-defined': 'error',
      'no-identical-paths': 'error',
      'nullable-type-sibling': 'warn',
    },
  } as never);
  return core.lint({ ref: entry, config });
}

async function expectRedoclyPositions(entry: string): Promise<number> {
  const problems = await problemsOf(entry);
  let compared = 0;
  for (const problem of problems) {
    for (const location of problem.location) {
      expect(problemStart(core, location), `${problem.ruleId} at ${location.pointer}`).toEqual(
        core.getLineColLocation(location).start,
      );
      compared++;
    }
  }
  return compared;
}

describe('problemStart (Redocly positions in linear time)', () => {
  it('matches getLineColLocation on a broken YAML document and the file it references', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evtgen-positions-'));
    await writeFile(join(dir, 'orders.openapi.yaml'), brokenYaml);
    await writeFile(join(dir, 'other.yaml'), otherYaml);
    expect(await expectRedoclyPositions(join(dir, 'orders.openapi.yaml'))).toBeGreaterThanOrEqual(8);
  });

  it('matches it with CRLF line ends and in a JSON document', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evtgen-positions-'));
    await writeFile(join(dir, 'crlf.openapi.yaml'), brokenYaml.replace(/\n/g, '\r\n'));
    await writeFile(join(dir, 'other.yaml'), otherYaml.replace(/\n/g, '\r\n'));
    expect(await expectRedoclyPositions(join(dir, 'crlf.openapi.yaml'))).toBeGreaterThanOrEqual(8);
    const { parse } = await import('yaml');
    await writeFile(join(dir, 'json.openapi.json'), JSON.stringify(parse(brokenYaml), null, 2));
    expect(await expectRedoclyPositions(join(dir, 'json.openapi.json'))).toBeGreaterThanOrEqual(6);
  });
});
