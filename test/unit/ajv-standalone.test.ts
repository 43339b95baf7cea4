/**
 * The linear-time port of ajv's standalone multi-export code (generator/emit/ajv-standalone.ts)
 * writes exactly what ajv writes: compared byte for byte with `ajv/dist/standalone` on schemas that
 * exercise every path of the port (shared definitions, self and mutual recursion through `$ref`,
 * `unevaluatedProperties` (an `evaluated` annotation), formats, draft-07 and 2020-12).
 */
import { createRequire } from 'node:module';
import type { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { standaloneModule } from '../../generator/emit/ajv-standalone.js';
import { validatorAjv } from '../../generator/emit/compile-validators.js';

const require = createRequire(import.meta.url);
const standaloneCode = require('ajv/dist/standalone').default as (
  ajv: Ajv,
  refs: Record<string, string>,
) => string;

const definitions = {
  Money: {
    type: 'object',
    required: ['amount', 'currency'],
    properties: {
      amount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' },
      currency: { enum: ['EUR', 'USD'] },
    },
    additionalProperties: false,
  },
  Line: {
    type: 'object',
    required: ['sku', 'price'],
    properties: { sku: { type: 'string', minLength: 1 }, price: { $ref: '#/definitions/Money' } },
  },
  Order: {
    type: 'object',
    required: ['id', 'lines', 'placedAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      placedAt: { type: 'string', format: 'date-time' },
      lines: { type: 'array', items: { $ref: '#/definitions/Line' }, minItems: 1 },
      total: { $ref: '#/definitions/Money' },
    },
  },
  TreeNode: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      children: { type: 'array', items: { $ref: '#/definitions/TreeNode' } },
      owner: { $ref: '#/definitions/Person' },
    },
  },
  Person: {
    type: 'object',
    properties: { name: { type: 'string' }, manages: { $ref: '#/definitions/TreeNode' } },
  },
  Extended: {
    allOf: [{ $ref: '#/definitions/Money' }, { properties: { note: { type: 'string' } } }],
    unevaluatedProperties: false,
  },
};

async function both(dialect: 'draft-07' | '2020-12', exports: string[]) {
  const compile = async (write: (ajv: Ajv, refs: Record<string, string>) => string | Promise<string>) => {
    const ajv = (await validatorAjv(dialect, false, {
      code: { source: true, esm: true, lines: true },
    })) as Ajv;
    ajv.addSchema({ $id: 'bundle.json', definitions } as never, undefined, undefined, false);
    const refs = Object.fromEntries(exports.map((name) => [name, `bundle.json#/definitions/${name}`]));
    for (const ref of Object.values(refs)) ajv.getSchema(ref);
    return write(ajv, refs);
  };
  return { ours: await compile(standaloneModule), ajvs: await compile(standaloneCode) };
}

describe('standaloneModule (linear-time ajv standalone)', () => {
  it('writes the same module as ajv/dist/standalone for shared, recursive and evaluated schemas', async () => {
    const exports = ['Order', 'Line', 'Money', 'TreeNode', 'Person', 'Extended'];
    for (const dialect of ['draft-07', '2020-12'] as const) {
      const { ours, ajvs } = await both(dialect, exports);
      expect(ours).toContain('export const Order');
      expect(ours).toBe(ajvs);
    }
  });

  it('writes each shared function once, in the order ajv does, whatever the export order', async () => {
    const { ours, ajvs } = await both('draft-07', ['Person', 'Money', 'TreeNode', 'Order']);
    expect(ours).toBe(ajvs);
    // Money is used by Order and Line and exported itself: still one function per schema.
    const functions = [...ours.matchAll(/function (validate\d+)\(/g)].map((m) => m[1]);
    expect(functions.length).toBeGreaterThan(4);
    expect(new Set(functions).size).toBe(functions.length);
  });
});
