/**
 * The validation records what Redocly's bundling would do to a document (load/redocly-bundle.ts
 * `bundleRule`), and when it can do the same itself, the OpenAPI worker types that document without
 * Redocly's bundle. The document it gives must be exactly what Redocly's `bundle` gives (compared as
 * JSON text, key order included), and every case it does not redo must send the document to Redocly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as core from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { validateOpenApiDocument } from '../../generator/load/openapi-validate.js';
import { repoRoot, tempProject } from '../helpers/project.js';

/** Redocly's bundle as openapi-typescript calls it (no rules; the decorator only acts on cases sent to Redocly). */
async function redoclyBundle(path: string): Promise<string> {
  const config = await core.createConfig({ extends: [], rules: {} } as never);
  const doc = await new core.BaseResolver(config.resolve).resolveDocument(null, path, true);
  if (doc instanceof Error) throw doc;
  const bundled = await core.bundle({ config, dereference: false, doc });
  return JSON.stringify(bundled.bundle.parsed);
}

async function check(path: string): Promise<'evtgen' | 'redocly'> {
  const { bundled, diagnostics } = await validateOpenApiDocument(path, dirname(path));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (bundled === undefined) return 'redocly';
  expect(JSON.stringify(bundled), path).toBe(await redoclyBundle(path));
  return 'evtgen';
}

const base = `openapi: 3.1.0
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: The pets.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
`;

/** `base` with more under `components` (and the files it references). */
async function document(components: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await tempProject({ 'specs/pets.openapi.yaml': `${base}components:\n${components}`, ...files });
  return join(dir, 'specs', 'pets.openapi.yaml');
}

describe('bundling a validated OpenAPI document as Redocly does', () => {
  it('gives a document of internal references unchanged, with the `components` Redocly adds', async () => {
    const dir = await tempProject({
      'specs/bare.openapi.yaml': 'openapi: 3.0.3\ninfo: {title: Bare, version: 1.0.0}\npaths: {}\n',
    });
    expect(await check(join(dir, 'specs', 'bare.openapi.yaml'))).toBe('evtgen');
    expect(
      await check(
        await document(`  schemas:
    Pet: {type: object, properties: {name: {$ref: '#/components/schemas/Name'}}}
    Name: {type: string}
`),
      ),
    ).toBe('evtgen');
  });

  it("inlines a `$ref` where Redocly expects a plain value, under the `$ref`'s siblings", async () => {
    const path = await document(`  schemas:
    Pet:
      type: object
      example: {$ref: '#/components/examples/rex', summary: 'kept: a sibling wins'}
      default: {$ref: '#/components/schemas/Name/default'}
    Name: {type: string, default: Rex}
  examples:
    rex: {summary: Rex, value: {name: Rex}}
`);
    expect(await check(path)).toBe('evtgen');
    const { bundled } = await validateOpenApiDocument(path, dirname(path));
    expect(JSON.stringify(bundled)).toContain(
      '"example":{"summary":"kept: a sibling wins","value":{"name":"Rex"}}',
    );
  });

  it('keeps a discriminator mapping that references schemas of the components directly', async () => {
    const path = await document(`  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
    Cat: {type: object, properties: {kind: {type: string}}}
    Dog: {type: object, properties: {kind: {type: string}}}
`);
    expect(await check(path)).toBe('evtgen');
  });

  it.each([
    [
      'a reference into another file',
      `  schemas:\n    Pet: {$ref: 'pet.yaml'}\n`,
      { 'specs/pet.yaml': 'type: object\n' },
    ],
    [
      'a mapping to a schema inside another schema',
      `  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat'}}
    Cat: {$ref: '#/components/schemas/Animal'}
    Animal: {type: object, properties: {kind: {type: string}}}
`,
      {},
    ],
    [
      'a mapping to a schema name with an escaped character',
      `  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/a~1cat'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/a~1cat'}}
    a/cat: {type: object, properties: {kind: {type: string}}}
`,
      {},
    ],
    [
      'an example read from a file',
      `  schemas:\n    Pet: {type: object}\n  examples:\n    rex: {externalValue: 'rex.json'}\n`,
      { 'specs/rex.json': '{"name": "Rex"}' },
    ],
    [
      'a boolean allOf member (the decorator openapi-typescript is bundled with rewrites it)',
      `  schemas:\n    Pet: {allOf: [true, {type: object}]}\n`,
      {},
    ],
  ])('leaves %s to Redocly', async (_, components, files) => {
    const path = await document(components, files);
    const { bundled, diagnostics } = await validateOpenApiDocument(path, dirname(path));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(bundled).toBeUndefined();
  });

  it('gives no document when the validation finds an error', async () => {
    const path = await document(`  schemas:\n    Pet: {$ref: '#/components/schemas/Missing'}\n`);
    const { bundled, diagnostics } = await validateOpenApiDocument(path, dirname(path));
    expect(diagnostics.map((d) => d.code)).toContain('openapi/no-unresolved-refs');
    expect(bundled).toBeUndefined();
  });

  it("bundles every OpenAPI document of the project's tests, examples and templates as Redocly does", async () => {
    const documents = ['test', 'examples', 'templates'].flatMap((root) => openApiFiles(join(repoRoot, root)));
    expect(documents.length).toBeGreaterThanOrEqual(20);
    const byWhom = { evtgen: 0, redocly: 0 };
    for (const path of documents) {
      const { diagnostics } = await validateOpenApiDocument(path, dirname(path));
      // Broken fixtures are not bundled by anyone.
      if (diagnostics.some((d) => d.severity === 'error')) continue;
      byWhom[await check(path)]++;
    }
    expect(byWhom.evtgen).toBeGreaterThanOrEqual(5);
  });

  it("bundles GitHub's REST API description as Redocly does (a schema example by `$ref`, discriminator mappings)", async () => {
    const require = createRequire(import.meta.url);
    const original = join(
      dirname(require.resolve('@octokit/openapi/package.json')),
      'generated',
      'api.github.com.json',
    );
    // Without the second path of each pair Redocly calls identical (its only errors), as the bench does.
    const { diagnostics } = await validateOpenApiDocument(original, dirname(original));
    const github = JSON.parse(readFileSync(original, 'utf8'));
    for (const d of diagnostics.filter((d) => d.severity === 'error')) {
      expect(d.code).toBe('openapi/no-identical-paths');
      delete github.paths[d.pointer.split('/')[2]?.replaceAll('~1', '/').replaceAll('~0', '~') ?? ''];
    }
    const dir = await tempProject({ 'specs/api.github.com.json': JSON.stringify(github) });
    expect(await check(join(dir, 'specs', 'api.github.com.json'))).toBe('evtgen');
  }, 60_000);
});

function openApiFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => /^\s*(openapi:|\{\s*"openapi")/m.test(readFileSync(path, 'utf8').slice(0, 2000)));
}
