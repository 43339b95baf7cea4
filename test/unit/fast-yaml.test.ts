/**
 * js-yaml reading a spec's value (generator/load/fast-yaml.ts): wherever it is trusted, the value
 * is the one the `yaml` package gives, scalar by scalar; where the two could differ (aliases, null
 * or complex keys, directives, errors) it declines and `yaml` reads the document. Also checked over
 * real files: every YAML document of the corpora, the fixtures and the examples.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fastYamlValue } from '../../generator/load/fast-yaml.js';
import { parseSource } from '../../generator/load/source-file.js';
import { corporaRoot } from '../helpers/project.js';

/** `yaml`'s value, as source-file.ts reads it; NaN and ±Infinity kept apart from null by JSON. */
const viaYaml = (text: string) => parse(text, { uniqueKeys: true, prettyErrors: false });
const json = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? `number:${v}` : v));

const scalars = [
  '012',
  '0o17',
  '0o8',
  '0x1F',
  '0X1F',
  '0xG',
  '-0x1',
  '0b101',
  '1_000',
  '+12',
  '-0',
  '00',
  '9007199254740993',
  '1e5',
  '1E5',
  '1.5e+3',
  '.5',
  '-.5',
  '+.5',
  '5.',
  '1.0',
  '0.0',
  '.e5',
  '1.e5',
  '3e',
  '0e0',
  '0.1.2',
  '.inf',
  '-.Inf',
  '+.INF',
  '.NaN',
  '.nan',
  '.NAN',
  '.Nan',
  '~',
  'null',
  'Null',
  'NULL',
  'nUll',
  '',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'y',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '12:30',
  '1:20:30',
  '=',
  '<<',
  "'5'",
  '"5"',
  '!!str 5',
  '"\\u00e9\\x41\\/\\t"',
  "'it''s'",
  '"a\\\n  b"',
];

describe('js-yaml as the `yaml` package reads specs', () => {
  it.each(scalars)('resolves the plain scalar %j as `yaml` does', (scalar) => {
    for (const text of [`a: ${scalar}\n`, `- ${scalar}\n`, `{a: [${scalar || '~'}]}\n`]) {
      const fast = fastYamlValue(text);
      expect(fast, text).toBeDefined();
      expect(json(fast?.value), text).toBe(json(viaYaml(text)));
    }
  });

  it('gives the same value for block scalars, flow collections, comments and odd keys', () => {
    const text = [
      '# comment',
      'description: |',
      '  Line one',
      '    indented',
      '',
      '  after a blank line  ',
      'folded: >-',
      '  a',
      '  b',
      '',
      '  c',
      'plain: a',
      '  multi-line plain',
      'quoted: "a',
      '  b"',
      '1: number key',
      'true: bool key',
      '"": empty key',
      '__proto__: {polluted: true}',
      'flow: {a: [1, 2.5, {b: c}], "d e": f}',
      'list:',
      '  - - nested',
      '    - 0x10',
      '  - key: value',
      '    other: ~',
      'windows: "crlf"\r',
      '',
    ].join('\n');
    const fast = fastYamlValue(text);
    expect(fast).toBeDefined();
    expect(json(fast?.value)).toBe(json(viaYaml(text)));
    expect(Object.getPrototypeOf(fast?.value)).toBe(Object.prototype);
  });

  it.each([
    ['an anchor and alias', 'a: &x {b: 1}\nc: *x\n'],
    ['a merge key', 'base: &b {x: 1}\nmore:\n  <<: *b\n  y: 2\n'],
    ['a null key', '~: x\n'],
    ['a null key in a flow map', '{null: x}\n'],
    ['an empty key', ': x\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a collection as a key', '[a, b]: c\n'],
    ['a collection as a key in a flow map', '{[a]: x}\n'],
    ['a map as a key in a list', '- {a: b}: c\n'],
    ['a YAML 1.1 directive', '%YAML 1.1\n---\na: yes\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1, 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an unknown tag', 'a: !custom 1\n'],
    ['a timestamp tag', 'a: !!timestamp 2001-12-14\n'],
  ])('declines %s, so that `yaml` reads it', (_what, text) => {
    expect(fastYamlValue(text)).toBeUndefined();
  });

  it('trusts OpenAPI path templates as keys: `/orders/{id}:` is a plain scalar', () => {
    const text = 'paths:\n  /orders/{orderId}:\n    get: {}\n  "/a/{b}": {x: [1]}\n';
    const fast = fastYamlValue(text);
    expect(fast).toBeDefined();
    expect(json(fast?.value)).toBe(json(viaYaml(text)));
  });

  it("keeps positions: the first lookup builds `yaml`'s tree", () => {
    const { file, diagnostics } = parseSource(
      'info:\n  title: Orders\n  version: "1"\n',
      '/x.yaml',
      'x.yaml',
    );
    expect(diagnostics).toEqual([]);
    expect(file.value).toEqual({ info: { title: 'Orders', version: '1' } });
    expect(file.locate('/info/version')).toEqual({ line: 3, column: 3 });
    expect(file.locate('/info/missing')).toEqual({ line: 1, column: 1 });
  });

  it("reads every YAML document of the project's fixtures, examples, specs and templates as `yaml` does", () => {
    const files = ['test/fixtures', 'examples', 'specs', 'templates'].flatMap((root) => yamlFiles(root));
    expect(files.length).toBeGreaterThan(5);
    expect(sameAsYaml(files)).toBeGreaterThan(files.length / 2);
  });

  it.skipIf(!existsSync(corporaRoot))('reads every YAML document of the corpora as `yaml` does', () => {
    const files = yamlFiles(corporaRoot);
    expect(files.length).toBeGreaterThan(20);
    expect(sameAsYaml(files)).toBeGreaterThan(files.length / 2);
  });
});

/** Checks each file js-yaml is trusted with against `yaml`; returns how many were. */
function sameAsYaml(files: readonly string[]): number {
  let trusted = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const fast = fastYamlValue(text);
    if (!fast) continue;
    trusted++;
    expect(json(fast.value), file).toBe(json(viaYaml(text)));
  }
  return trusted;
}

function yamlFiles(root: string): string[] {
  let entries: { name: string; parentPath: string; isFile(): boolean }[];
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !file.includes(`${'/'}generated${'/'}`));
}
