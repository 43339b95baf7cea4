/**
 * An ajv instance made for one group of validators gets only the definitions they reach
 * (compile-validators.ts `reachableDefinitions`): ajv walks every schema it is given, and the
 * parameters' instance of GitHub's REST API description reaches 339 of 5,630. The code must be the
 * same as with every definition, and anything that could reach a schema another way must give ajv all.
 */
import { describe, expect, it } from 'vitest';
import {
  BundleInstances,
  compileGroups,
  reachableDefinitions,
  type ValidatorGroup,
} from '../../generator/emit/compile-validators.js';
import type { JsonSchema } from '../../generator/model/contract.js';

const definitions: Record<string, JsonSchema> = {
  Page: {
    type: 'object',
    properties: { size: { $ref: '#/definitions/Size' }, sort: { $ref: '#/definitions/Sort' } },
  },
  Size: { type: 'integer', maximum: 100 },
  Sort: { enum: ['asc', 'desc'] },
  // Reached through a pointer into it, and reaching itself.
  Tree: {
    type: 'object',
    properties: { children: { type: 'array', items: { $ref: '#/definitions/Tree' } } },
  },
  Forest: { type: 'array', items: { $ref: '#/definitions/Tree/properties/children/items' } },
  Unrelated: { type: 'object', properties: { name: { type: 'string', format: 'email' } } },
};

describe('the definitions a group of validators reaches', () => {
  it('follows `$ref`s through pointers into a definition and through cycles', () => {
    expect(Object.keys(reachableDefinitions(definitions, ['Page']) ?? {}).sort()).toEqual([
      'Page',
      'Size',
      'Sort',
    ]);
    expect(Object.keys(reachableDefinitions(definitions, ['Forest']) ?? {}).sort()).toEqual([
      'Forest',
      'Tree',
    ]);
    expect(reachableDefinitions(definitions, ['Unrelated'])).toEqual({ Unrelated: definitions.Unrelated });
  });

  it.each([
    ['an $id', { $id: 'https://example.com/a', type: 'string' }],
    ['an $anchor', { $anchor: 'a', type: 'string' }],
    ['a $ref to the bundle root', { $ref: '#' }],
    ['a $ref by URI', { $ref: 'https://example.com/a' }],
    ['a $ref with an escaped segment', { $ref: '#/definitions/A~1B' }],
    ['a $ref to a definition that is not there', { $ref: '#/definitions/Missing' }],
  ])('gives ajv every definition when one reached has %s', (_, schema) => {
    expect(reachableDefinitions({ ...definitions, Odd: schema as JsonSchema }, ['Odd'])).toBeUndefined();
    // The same schema where no root reaches it does not matter.
    expect(reachableDefinitions({ ...definitions, Odd: schema as JsonSchema }, ['Page'])).toBeDefined();
  });

  it('compiles the same code as an instance given every definition', async () => {
    const groups: ValidatorGroup[] = [
      { dialect: 'draft-07', coerce: false, exports: ['Forest', 'Unrelated'] },
      { dialect: 'draft-07', coerce: true, exports: ['Page'] },
    ];
    const limitedInstances = new BundleInstances(definitions);
    const limited = await compileGroups(groups, limitedInstances);
    // The parameters' instance was given only what Page reaches.
    const { ajv } = await limitedInstances.instance('draft-07', true);
    expect(ajv.getSchema('https://evtgen.dev/schemas/bundle.json#/definitions/Sort')).toBeTypeOf('function');
    expect(ajv.getSchema('https://evtgen.dev/schemas/bundle.json#/definitions/Unrelated')).toBeUndefined();
    const everything = new BundleInstances(definitions);
    // Made before compileGroups asks, without roots: these instances have every definition.
    for (const group of groups) await everything.instance(group.dialect, group.coerce);
    const full = await compileGroups(groups, everything);
    expect([...limited.modules]).toEqual([...full.modules]);
    expect(limited.warnings).toEqual(full.warnings);
    expect(limited.modules.size).toBe(2);
  });
});
