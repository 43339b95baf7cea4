/**
 * The AsyncAPI structure schemas' validators compiled at build (generator/load/asyncapi-meta.cjs):
 * the same files on every build, the same errors as Spectral's own compile of the same schema on
 * real and broken documents (3.0 and 2.6), and used only where their key matches what is installed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const meta = require('../../generator/load/asyncapi-meta.cjs');
const parserPath = require.resolve('@asyncapi/parser');
const modules = meta.parserModules(parserPath);
meta.prepareSchemas(modules);
const Ajv = modules.spectralRequire('ajv').default;
const spectralCompile = modules.spectralRequire('./ajv.js').createAjvInstances as () => (
  schema: object,
  dialect: string,
  allErrors: boolean,
) => Validate;

interface Validate {
  (data: unknown): boolean;
  errors?: unknown[] | null;
}

const example = parse(readFileSync('specs/orders.asyncapi.yaml', 'utf8'));
const v26 = parse(readFileSync('test/bad-input/fixtures/asyncapi-2.6/specs/orders.asyncapi.yaml', 'utf8'));

/** Real documents and broken copies: missing and mistyped fields, unknown properties, bad enums and formats. */
function documents(): [string, unknown][] {
  const broken = structuredClone(example);
  delete broken.info.title;
  broken.info.version = 3;
  broken.info.contact.url = 'not a url';
  broken.channels.orderEvents.unknown = true;
  for (const operation of Object.values(broken.operations) as { action: string }[])
    operation.action = 'publish';
  broken.components.messages.OrderPlaced.contentType = 42;
  const broken26 = structuredClone(v26);
  broken26.info = { title: 'x' };
  broken26.channels = { 'a/b': { publish: { message: { payload: 'no' } }, extra: 1 } };
  return [
    ['the example (3.0)', example],
    ['a broken 3.0 document', broken],
    ['a 2.6 document', v26],
    ['a broken 2.6 document', broken26],
    ['not an object', ['asyncapi']],
  ];
}

let built: string;
beforeAll(() => {
  built = mkdtempSync(join(tmpdir(), 'evtgen-asyncapi-meta-'));
  meta.compileMetaValidators(parserPath, join(built, 'a'));
});
afterAll(() => rmSync(built, { recursive: true, force: true }));

describe('AsyncAPI structure validators compiled at build', () => {
  it('are the same files on every build', () => {
    meta.compileMetaValidators(parserPath, join(built, 'b'));
    const files = readdirSync(join(built, 'a')).sort();
    expect(files).toEqual([
      '2.6.0-resolved.js',
      '2.6.0-unresolved.js',
      '3.0.0-resolved.js',
      '3.0.0-unresolved.js',
      'index.json',
    ]);
    expect(readdirSync(join(built, 'b')).sort()).toEqual(files);
    for (const file of files)
      expect(readFileSync(join(built, 'b', file), 'utf8')).toBe(readFileSync(join(built, 'a', file), 'utf8'));
  });

  it("report exactly the errors of Spectral's own compile, and are used only where their key matches", () => {
    const ids: string[] = JSON.parse(readFileSync(join(built, 'a', 'index.json'), 'utf8')).map(
      (entry: { id: string }) => entry.id,
    );
    // Spectral's own validators, compiled before the precompiled ones are installed.
    const compile = spectralCompile();
    const reference = new Map<string, Validate>();
    for (const version of meta.precompiledVersions)
      for (const resolved of [true, false]) {
        const schema = meta.structureSchema(modules, version, resolved);
        reference.set(schema.$id, compile(schema, 'draft7', true));
      }
    expect([...reference.keys()].sort()).toEqual([...ids].sort());

    // One stale file: its key no longer matches, so it is not used.
    const stale = join(built, 'stale');
    meta.compileMetaValidators(parserPath, stale);
    const index = JSON.parse(readFileSync(join(stale, 'index.json'), 'utf8'));
    index[1].key = 'f'.repeat(64);
    writeFileSync(join(stale, 'index.json'), JSON.stringify(index));
    const own = Object.getOwnPropertyDescriptor(Ajv.prototype, 'getSchema');
    try {
      expect(meta.usePrecompiled(modules, join(built, 'missing'))).toEqual([]);
      const used: string[] = meta.usePrecompiled(modules, stale);
      expect(used.sort()).toEqual(ids.filter((id) => id !== index[1].id).sort());
      // Answered for Spectral's all-errors instances only.
      expect(new Ajv({ allErrors: false }).getSchema(used[0])).toBeUndefined();
      let compared = 0;
      for (const id of used) {
        const precompiled = new Ajv({ allErrors: true }).getSchema(id) as Validate;
        const own = reference.get(id) as Validate;
        expect(precompiled).not.toBe(own);
        for (const [name, document] of documents()) {
          const expected = own(document);
          const errors = structuredClone(own.errors);
          expect({ name, valid: precompiled(document), errors: precompiled.errors }).toEqual({
            name,
            valid: expected,
            errors,
          });
          if (!expected) compared += errors?.length ?? 0;
        }
      }
      expect(compared).toBeGreaterThan(20);
      expect(new Ajv({ allErrors: true }).getSchema(index[1].id)).toBeUndefined();
    } finally {
      if (own) Object.defineProperty(Ajv.prototype, 'getSchema', own);
      else delete Ajv.prototype.getSchema;
    }
  });
});
