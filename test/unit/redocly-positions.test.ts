/**
 * problemStart (generator/load/redocly-positions.ts) gives every Redocly problem the position
 * Redocly's own getLineColLocation gives it: checked on real broken documents (YAML and JSON, CRLF
 * line ends, a problem in a referenced file, problems reported on keys and on empty values).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { problemStart } from '../../generator/load/redocly-positions.js';
import { evtgenResolver, isJsonSource } from '../../generator/load/redocly-resolver.js';

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

async function problemsOf(entry: string, resolver?: ReturnType<typeof evtgenResolver>) {
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
  return core.lint({ ref: entry, config, ...(resolver ? { externalRefResolver: resolver } : {}) });
}

async function expectRedoclyPositions(
  entry: string,
  resolver?: ReturnType<typeof evtgenResolver>,
): Promise<number> {
  const problems = await problemsOf(entry, resolver);
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

  it('finds the same node in the JSON text when the evtgen resolver read the file as JSON', async () => {
    // evtgen's resolver parses JSON with JSON.parse and marks the source: problemStart then uses the
    // JSON text, not a YAML AST. Indented, one-line and CRLF JSON, a problem in a referenced JSON file.
    const dir = await mkdtemp(join(tmpdir(), 'evtgen-positions-'));
    const { parse } = await import('yaml');
    const document = parse(brokenYaml.replace('./other.yaml', './other.json'));
    const other = parse(otherYaml);
    const variants = [
      ['indented', (v: unknown) => JSON.stringify(v, null, 2)],
      ['one-line', (v: unknown) => JSON.stringify(v)],
      ['crlf', (v: unknown) => JSON.stringify(v, null, 4).replace(/\n/g, '\r\n')],
    ] as const;
    for (const [name, print] of variants) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'api.openapi.json'), print(document));
      await writeFile(join(dir, name, 'other.json'), print(other));
      const resolver = evtgenResolver(core, { offline: true });
      expect(
        await expectRedoclyPositions(join(dir, name, 'api.openapi.json'), resolver),
      ).toBeGreaterThanOrEqual(8);
      const problems = await problemsOf(
        join(dir, name, 'api.openapi.json'),
        evtgenResolver(core, { offline: true }),
      );
      const sources = new Set(problems.flatMap((p) => p.location.map((l) => l.source)));
      // Both files were read as JSON, so the comparison above went through the JSON path.
      expect(
        [...sources].every((s) => isJsonSource(s)),
        name,
      ).toBe(true);
      expect(sources.size, name).toBe(2);
    }
  });
});
