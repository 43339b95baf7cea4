import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleProject, repoRoot, runCli, tempProject } from '../helpers/project.js';

/**
 * `evtgen lint` with its Redocly ruleset, through the built CLI: each broken project is a fixture
 * under fixtures/ and must produce exactly the diagnostics listed, each at the line and column of
 * the offending text (read off the fixture files) and with its JSON pointer.
 */

const fixtures = join(repoRoot, 'test', 'lint', 'fixtures');

interface JsonDiagnostic {
  severity: string;
  code: string;
  message: string;
  file: string;
  position: { line: number; column: number };
  pointer: string;
  hint?: string;
}

interface LintJson {
  ok: boolean;
  failure?: string;
  ruleset?: string;
  diagnostics: JsonDiagnostic[];
}

const projects: string[] = [];
afterAll(async () => {
  for (const dir of projects) await rm(dir, { recursive: true, force: true });
});

async function fixtureProject(name: string): Promise<string> {
  const dir = await tempProject();
  projects.push(dir);
  await cp(join(fixtures, name), dir, { recursive: true });
  return dir;
}

async function lintJson(
  dir: string,
  flags = ['--format', 'json'],
): Promise<{ code: number; json: LintJson }> {
  const result = await runCli(['lint', ...flags], dir);
  expect(result.stderr).not.toMatch(/Error: |node:internal/);
  return { code: result.code, json: JSON.parse(result.stdout) as LintJson };
}

/** `file:line:col  severity  code  message  @pointer`: one comparable line per diagnostic. */
function lines(diagnostics: readonly JsonDiagnostic[]): string[] {
  return diagnostics.map(
    (d) =>
      `${d.file}:${d.position.line}:${d.position.column}  ${d.severity}  ${d.code}  ${d.message}  @${d.pointer}`,
  );
}

/** Asserts each diagnostic's position is on `text` in the project's file (fixture line numbers). */
async function expectAt(dir: string, d: JsonDiagnostic, text: string): Promise<void> {
  const line = (await readFile(join(dir, d.file), 'utf8')).split('\n')[d.position.line - 1] ?? '';
  expect(line.slice(d.position.column - 1), `${d.file}:${d.position.line}:${d.position.column}`).toMatch(
    new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
}

describe('evtgen lint: the Redocly ruleset', () => {
  it('finds nothing in the example specs (the committed ruleset, no project redocly.yaml)', async () => {
    const dir = await exampleProject();
    projects.push(dir);
    const { code, json } = await lintJson(dir);
    expect(lines(json.diagnostics)).toEqual([]);
    expect(json).toMatchObject({ ok: true, ruleset: expect.stringContaining('default ruleset') });
    expect(code).toBe(0);
  });

  it('reports style and example findings of both documents and a shared fragment, located and sorted', async () => {
    const dir = await fixtureProject('redocly-findings');
    const { code, json } = await lintJson(dir);
    const asyncapi = 'specs/orders.asyncapi.yaml';
    const openapi = 'specs/orders.openapi.yaml';
    expect(lines(json.diagnostics)).toEqual([
      `${asyncapi}:2:1  warning  redocly/info-contact  Info object should contain \`contact\` field.  @/info/contact`,
      `${asyncapi}:6:3  warning  redocly/info-license-strict  License object should contain \`url\` field.  @/info/license/url`,
      `${openapi}:13:5  error  redocly/operation-summary  Operation object should contain \`summary\` field.  @/paths/~1orders/post/summary`,
      `${openapi}:29:25  error  redocly/no-invalid-media-type-examples  Example value must conform to the schema: \`amount\` property type must be integer.  @/paths/~1orders/post/requestBody/content/application~1json/example/total/amount`,
      `${openapi}:46:7  warning  redocly/operation-4xx-response  Operation must have at least one \`4XX\` response.  @/paths/~1orders~1{orderId}/get/responses`,
      // Reached from the OpenAPI document's $ref; reported once although both documents use it.
      'specs/schemas/common.yaml:11:16  error  redocly/no-invalid-schema-examples  Example value must conform to the schema: must match pattern "^[A-Z]{3}$".  @/Money/properties/currency/example',
    ]);
    const [contact, license, summary, example, fourXx, schemaExample] = json.diagnostics;
    const expected: [JsonDiagnostic | undefined, string][] = [
      [contact, 'info:'],
      [license, 'license:'],
      [summary, 'post:'],
      [example, '12.5'],
      [fourXx, 'responses:'],
      [schemaExample, 'eur'],
    ];
    for (const [d, text] of expected) if (d) await expectAt(dir, d, text);
    for (const d of json.diagnostics) expect(d.hint).toMatch(/Redocly rule "[a-z0-9-]+"/);
    expect(json).toMatchObject({ ok: false, failure: 'spec' });
    expect(code).toBe(1);
  });

  it('drops Redocly findings evtgen already reports from its own loaders', async () => {
    const dir = await fixtureProject('duplicates');
    const { code, json } = await lintJson(dir);
    const openapi = 'specs/orders.openapi.yaml';
    expect(lines(json.diagnostics)).toEqual([
      `${openapi}:13:5  warning  operation-id-derived  1 operation(s) have no operationId; evtgen names them from method and path: POST /orders → postOrders.  @/paths/~1orders/post`,
      `${openapi}:20:15  error  ref-unresolved  $ref "#/components/schemas/Order" cannot be resolved: specs/orders.openapi.yaml has nothing at "/components/schemas/Order".  @/paths/~1orders/post/requestBody/content/application~1json/schema/$ref`,
      `${openapi}:43:15  error  openapi/struct  Property \`requird\` is not expected here.  @/paths/~1orders~1{orderId}/get/responses/200/headers/ETag/requird`,
    ]);
    await expectAt(dir, json.diagnostics[2] as JsonDiagnostic, 'requird');
    expect(code).toBe(1);
  });

  it("uses the project's redocly.yaml instead of evtgen's ruleset", async () => {
    const dir = await fixtureProject('redocly-findings');
    await writeFile(
      join(dir, 'redocly.yaml'),
      [
        'extends:',
        '  - recommended',
        'rules:',
        '  info-contact: off',
        '  info-license-strict: off',
        '  operation-4xx-response: error',
        '  no-invalid-schema-examples: off',
        '  no-empty-servers: off',
        '',
      ].join('\n'),
    );
    const { code, json } = await lintJson(dir);
    expect(json.ruleset).toBe('redocly.yaml');
    expect(
      json.diagnostics.map((d) => `${d.position.line}:${d.position.column} ${d.severity} ${d.code}`),
    ).toEqual([
      '13:5 error redocly/operation-summary',
      // `recommended` has it as a warning; evtgen's ruleset raises it to an error.
      '29:25 warning redocly/no-invalid-media-type-examples',
      '46:7 error redocly/operation-4xx-response',
    ]);
    expect(json.diagnostics[0]?.hint).toContain('in redocly.yaml');
    expect(code).toBe(1);
  });

  it('exits 2 with a located diagnostic when the redocly.yaml cannot be loaded', async () => {
    const dir = await fixtureProject('redocly-findings');
    await writeFile(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\nrules:\n  info-contact: [off\n');
    const { code, json } = await lintJson(dir);
    expect(lines(json.diagnostics)).toEqual([
      `redocly.yaml:5:1  error  redocly-config-invalid  The Redocly ruleset redocly.yaml cannot be loaded: Error parsing config file at 'redocly.yaml': unexpected end of the stream within a flow collection in "redocly.yaml" (5:1).  @`,
    ]);
    expect(json).toMatchObject({ ok: false, failure: 'config' });
    expect(code).toBe(2);
  });

  it('--json, --format json and the text output agree', async () => {
    const dir = await fixtureProject('redocly-findings');
    const [format, legacy, text] = await Promise.all([
      lintJson(dir),
      lintJson(dir, ['--json']),
      runCli(['lint'], dir),
    ]);
    expect(legacy.json).toEqual(format.json);
    expect(legacy.code).toBe(format.code);
    for (const d of format.json.diagnostics) {
      expect(text.stdout).toContain(
        `${d.file}:${d.position.line}:${d.position.column}  ${d.severity}  ${d.code}  ${d.message}`,
      );
    }
    expect(text.stdout).toContain('3 errors, 3 warnings');
    expect(text.code).toBe(1);
  });

  it('refuses an unknown --format as a usage error', async () => {
    const dir = await fixtureProject('redocly-findings');
    const result = await runCli(['lint', '--format', 'sarif'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Expected --format=sarif to be one of: text, json/);
  });
});
