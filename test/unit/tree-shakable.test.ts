/**
 * The validator module is tree-shakable (generator/emit/tree-shakable.ts): a bundle that imports
 * nothing of it keeps nothing, one that imports one validator keeps that validator and what it
 * calls, and the validators give the same verdicts and errors as ajv compiling the same schemas at
 * run time — including `evaluated` annotations read at run time (unevaluatedProperties over an
 * `anyOf` in a referenced schema), recursion, formats and patterns.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileValidators } from '../../generator/emit/bundle-validators.js';
import { validatorAjv } from '../../generator/emit/compile-validators.js';
import { treeShakable, wordsEndingInFn } from '../../generator/emit/tree-shakable.js';
import type { JsonSchema } from '../../generator/model/contract.js';

const definitions: Record<string, JsonSchema> = {
  Money: {
    type: 'object',
    required: ['amount', 'currency'],
    properties: {
      amount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' },
      currency: { enum: ['EUR', 'USD'] },
    },
    additionalProperties: false,
  },
  Order: {
    type: 'object',
    required: ['id', 'placedAt', 'total'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      placedAt: { type: 'string', format: 'date-time' },
      site: { type: 'string', format: 'uri' },
      code: { type: 'string', maxLength: 8 },
      total: { $ref: '#/definitions/Money' },
    },
  },
  TreeNode: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      children: { type: 'array', items: { $ref: '#/definitions/TreeNode' } },
    },
  },
  Flexible: {
    anyOf: [
      { properties: { a: { type: 'string' } }, required: ['a'] },
      { properties: { b: { type: 'number' } }, required: ['b'] },
    ],
  },
  Strict: { $ref: '#/definitions/Flexible', unevaluatedProperties: false },
  Extended: {
    allOf: [{ $ref: '#/definitions/Money' }, { properties: { note: { type: 'string' } } }],
    unevaluatedProperties: false,
  },
};

const samples: Record<string, unknown[]> = {
  Money: [{ amount: '1.00', currency: 'EUR' }, { amount: '1', currency: 'GBP', x: 1 }, 'no'],
  Order: [
    {
      id: '0b6c5f1e-3c1a-4f7e-9d2b-6a1d2c3b4a5f',
      placedAt: '2026-12-05T20:00:00Z',
      site: 'https://example.com/a',
      total: { amount: '2.50', currency: 'USD' },
    },
    { id: 'nope', placedAt: '2026-13-05T20:00:00Z', site: ':::', code: '𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞', total: {} },
  ],
  TreeNode: [{ name: 'a', children: [{ name: 'b', children: [] }] }, { children: [{ name: 1 }] }],
  Strict: [{ a: 'x' }, { b: 1 }, { a: 'x', c: 1 }, { a: 2, b: 1 }, {}],
  Extended: [
    { amount: '1.00', currency: 'EUR', note: 'n' },
    { amount: '1.00', currency: 'EUR', other: 1 },
  ],
};

let dir: string;
const compiled: Partial<Record<'draft-07' | '2020-12', string>> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evtgen-tree-shakable-'));
  for (const dialect of ['draft-07', '2020-12'] as const) {
    const exports = Object.keys(definitions).filter((name) => dialect === '2020-12' || name !== 'Strict');
    const { code, warnings } = await compileValidators(definitions, [{ dialect, coerce: false, exports }]);
    expect(warnings.filter((w) => w.severity === 'error')).toEqual([]);
    compiled[dialect] = code;
    await writeFile(join(dir, `${dialect}.js`), code);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: dir, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('tree-shakable validator module', () => {
  it('keeps nothing in a bundle that imports nothing of it', async () => {
    for (const dialect of ['draft-07', '2020-12'] as const) {
      const code = compiled[dialect] ?? '';
      expect(code).toContain('/* @__PURE__ */');
      expect(await bundle(`import './${dialect}.js';`)).toBe('');
    }
    // The 2020-12 module has `evaluated` annotations: each is declared with its function.
    expect(compiled['2020-12']).toMatch(
      /^var validate\d+ = \/\* @__PURE__ \*\/ Object\.assign\(validate\d+_fn, /m,
    );
    expect(compiled['2020-12']).not.toMatch(/^validate\d+\.evaluated = /m);
  });

  it('keeps one validator and what it calls, not the others', async () => {
    for (const dialect of ['draft-07', '2020-12'] as const) {
      const money = await bundle(`import { Money } from './${dialect}.js'; console.log(Money({}));`);
      expect(money).toContain('^[0-9]+\\\\.[0-9]{2}$');
      expect(money).not.toContain('placedAt');
      expect(money).not.toContain('fullFormats');
      const order = await bundle(`import { Order } from './${dialect}.js'; console.log(Order({}));`);
      expect(order).toContain('placedAt');
      expect(order).toContain('^[0-9]+\\\\.[0-9]{2}$');
      expect(order).not.toContain('children');
    }
  });

  it('gives the same verdicts and errors as ajv compiling the schemas at run time', async () => {
    for (const dialect of ['draft-07', '2020-12'] as const) {
      const module = (await import(pathToFileURL(join(dir, `${dialect}.js`)).href)) as Record<
        string,
        ((data: unknown) => boolean) & { errors?: unknown }
      >;
      const ajv = await validatorAjv(dialect, false);
      ajv.addSchema({ $id: 'https://evtgen.dev/schemas/bundle.json', definitions } as never);
      for (const [name, values] of Object.entries(samples)) {
        if (dialect === 'draft-07' && name === 'Strict') continue;
        const runtime = ajv.getSchema(`https://evtgen.dev/schemas/bundle.json#/definitions/${name}`);
        const generated = module[name];
        if (!runtime || !generated) throw new Error(`no validator ${name}`);
        for (const value of values) {
          expect(generated(value), `${dialect} ${name} ${JSON.stringify(value)}`).toBe(runtime(value));
          expect(generated.errors ?? null).toEqual(runtime.errors ?? null);
        }
      }
    }
  });

  it('leaves code it does not recognise as it is', () => {
    const code = ['var a = 1;', 'foo();', 'function validate1() {', '  return 1;', '}', ''].join('\n');
    expect(treeShakable(code)).toBe(code);
  });

  it('finds the words ending in _fn that the regular expression \\b\\w+_fn\\b finds', () => {
    const texts = [
      'a_fn _fn __fn x_fn_fn y_fn_ z_fnx $q_fn é_fn 1_fn a_fn. "s_fn" b_fn(c_fn) _fn_fn',
      '_fn',
      'a_fn',
      'x_f_fn_fn',
    ];
    // Random texts over the characters that matter: word characters, "_", "f", "n" and separators.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = '_fn_fn_fnaZ9$ .é(';
    for (let t = 0; t < 300; t++)
      texts.push(Array.from({ length: 40 }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    for (const text of texts) expect(wordsEndingInFn(text)).toEqual(new Set(text.match(/\b\w+_fn\b/g) ?? []));
  });
});
