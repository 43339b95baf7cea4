import { describe, expect, it } from 'vitest';
import { validatorAjv } from '../../generator/emit/compile-validators.js';
import type { CompiledAjv } from '../../generator/emit/shared-ajv.js';
import { examplesInShared } from '../../generator/model/example-bundle.js';

/**
 * The example check reuses the validators' ajv instance (model/example-bundle.ts): an example must be
 * judged exactly as by an instance of its own, whose bundle holds the schemas with `#/definitions/` refs.
 */
const validatorsId = 'https://evtgen.dev/schemas/bundle.json';
const examplesId = 'https://evtgen.dev/schemas/examples.json';
const Order = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };

async function compiled(definitions: Record<string, unknown>): Promise<CompiledAjv> {
  const ajv = await validatorAjv('draft-07', false);
  ajv.addSchema({ $id: validatorsId, definitions } as never, undefined, undefined, false);
  return {
    ajv,
    bundleId: validatorsId,
    definitions,
    names: new Map(Object.entries(definitions).map(([n, s]) => [s, n])),
  };
}

function check(schema: unknown, value: unknown, shared: CompiledAjv) {
  // As example-check.ts builds it: the model's schemas and each example's schema.
  const bundle = { Order, evtgenExample0: schema } as never;
  const found = examplesInShared([{ schema: schema as never }], bundle, examplesId, shared);
  if (found === undefined || found === 'refused') return found;
  const validate = found.ajv.getSchema(found.ids[0] as string);
  return { id: found.ids[0], valid: validate?.(value), errors: validate?.errors?.map((e) => e.instancePath) };
}

describe('examples checked in the validators’ ajv instance', () => {
  it('uses the compiled validator of a schema the validators have', async () => {
    const shared = await compiled({ Order });
    expect(check({ $ref: '#/definitions/Order' }, { id: 1 }, shared)).toEqual({
      id: `${validatorsId}#/definitions/Order`,
      valid: false,
      errors: ['/id'],
    });
    expect(check(Order, { id: 'a' }, shared)).toMatchObject({
      id: `${validatorsId}#/definitions/Order`,
      valid: true,
    });
  });

  it('resolves the references of an inline schema into the validators’ bundle, also under a property named enum', async () => {
    const shared = await compiled({ Order });
    const inline = {
      type: 'object',
      properties: { enum: { $ref: '#/definitions/Order' } },
      const: { enum: { $ref: '#/definitions/Order' } },
    };
    // `const` is data: its `$ref` is a value to match, not a reference.
    expect(check(inline, { enum: { $ref: '#/definitions/Order' } }, shared)).toMatchObject({
      id: `${examplesId}#/definitions/evtgenExample0`,
      valid: false,
      // Order's `required` fails at /enum: the reference reached the validators' Order.
      errors: ['/enum'],
    });
  });

  it('leaves the examples an instance of their own when a schema changes the base or a name means another schema', async () => {
    expect(
      check({ $id: 'https://x.test/s', type: 'string' }, 'a', await compiled({ Order })),
    ).toBeUndefined();
    expect(
      check({ $ref: '#/definitions/Order' }, {}, await compiled({ Order: { type: 'string' } })),
    ).toBeUndefined();
  });

  it('refuses a bundle that is not valid JSON Schema, as addSchema would', async () => {
    expect(check({ type: 'no-such-type' }, 'a', await compiled({ Order }))).toBe('refused');
  });
});
