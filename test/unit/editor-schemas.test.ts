// Editor support for the x- extensions: generator/extensions/{asyncapi,openapi}-editor.schema.json
// place every extension schema where evtgen reads it, for the YAML/JSON language servers that
// `evtgen init` points at them (.vscode/settings.json). These tests read the schemas as an editor
// would (relative $refs, no network) and check that they accept the example specs, flag a bad
// extension value at its path, and leave no extension out.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { extensionSchemas } from '../../generator/load/extensions.js';
import { repoRoot } from '../helpers/project.js';

const dir = join(repoRoot, 'generator', 'extensions');
const base = 'file:///evtgen/generator/extensions/';

/** Every schema of the folder, each under its file name (as an editor resolves a relative $ref). */
function editorAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.schema.json'))) {
    const schema = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
    // The $id is dropped so that nothing resolves through https://evtgen.dev (an editor would fetch it).
    const { $id: _id, ...local } = schema;
    ajv.addSchema(local, `${base}${name}`);
  }
  return ajv;
}

const ajv = editorAjv();
const validate = (kind: 'asyncapi' | 'openapi', document: unknown): ErrorObject[] => {
  const check = ajv.getSchema(`${base}${kind}-editor.schema.json`);
  if (!check) throw new Error(`no ${kind} editor schema`);
  return check(document) ? [] : (check.errors ?? []);
};
const example = (name: string) =>
  parse(readFileSync(join(repoRoot, 'specs', name), 'utf8')) as Record<string, unknown>;

describe('editor schemas for the x- extensions', () => {
  it('accept the example service’s specs', () => {
    expect(validate('asyncapi', example('orders.asyncapi.yaml'))).toEqual([]);
    expect(validate('openapi', example('orders.openapi.yaml'))).toEqual([]);
  });

  it.each([
    [
      'asyncapi',
      ['operations', 'fulfilOrder', 'x-consumer', 'batchSize'],
      0,
      '/operations/fulfilOrder/x-consumer/batchSize',
    ],
    [
      'asyncapi',
      ['operations', 'fulfilOrder', 'x-consumer', 'bogus'],
      1,
      '/operations/fulfilOrder/x-consumer',
    ],
    ['asyncapi', ['info', 'x-eventbridge', 'source'], 42, '/info/x-eventbridge/source'],
    [
      'asyncapi',
      ['components', 'messages', 'OrderPlaced', 'x-sunset'],
      'next year',
      '/components/messages/OrderPlaced/x-sunset',
    ],
    ['openapi', ['paths', '/orders', 'post', 'x-emits'], 'OrderPlaced', '/paths/~1orders/post/x-emits'],
    ['openapi', ['x-cors'], { allowOrigins: 'https://a.example' }, '/x-cors/allowOrigins'],
    ['openapi', ['paths', '/orders', 'post', 'x-slo'], { p99Ms: -1 }, '/paths/~1orders/post/x-slo/p99Ms'],
  ] as const)('%s: %j set to a bad value is flagged at its path', (kind, keys, value, path) => {
    const document = example(kind === 'asyncapi' ? 'orders.asyncapi.yaml' : 'orders.openapi.yaml');
    let holder: Record<string, unknown> = document;
    for (const key of keys.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
    holder[keys[keys.length - 1] as string] = value;
    expect(validate(kind, document).map((e) => e.instancePath)).toContain(path);
  });

  it('place every spec extension evtgen reads (none forgotten)', () => {
    const referenced = new Set(
      ['asyncapi', 'openapi'].flatMap((kind) =>
        [
          ...readFileSync(join(dir, `${kind}-editor.schema.json`), 'utf8').matchAll(/"\$ref": "([^"#]+)"/g),
        ].map((m) => m[1]),
      ),
    );
    const specExtensions = Object.entries(extensionSchemas)
      .filter(([kind]) => kind !== 'config' && kind !== 'ignore-file')
      .map(([, file]) => file);
    expect(specExtensions.filter((file) => !referenced.has(file))).toEqual([]);
  });

  it('refer to each other only by relative paths an editor can open', () => {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.schema.json'))) {
      const refs = [...readFileSync(join(dir, name), 'utf8').matchAll(/"\$ref": "([^"]+)"/g)].map(
        (m) => m[1] ?? '',
      );
      expect(
        refs.filter((ref) => /^[a-z]+:/.test(ref)),
        name,
      ).toEqual([]);
    }
  });
});
