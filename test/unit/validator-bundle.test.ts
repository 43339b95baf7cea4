/**
 * The validators bundled and split in a worker thread (generator/emit/validator-bundle.ts): the
 * worker (which runs the build in dist/) gives the same bytes as the bundling and splitting in
 * process, and a bundle esbuild refuses fails the request with esbuild's message rather than hanging.
 */
import { describe, expect, it } from 'vitest';
import {
  BundleInstances,
  compileGroups,
  compileValidators,
  type ValidatorGroup,
} from '../../generator/emit/compile-validators.js';
import { bundleAndSplit, bundleInWorker } from '../../generator/emit/validator-bundle.js';
import { splitValidators } from '../../generator/emit/validator-modules.js';
import type { JsonSchema } from '../../generator/model/contract.js';

const definitions: Record<string, JsonSchema> = {
  Money: {
    type: 'object',
    required: ['amount'],
    properties: { amount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' } },
  },
  Order: {
    type: 'object',
    required: ['id', 'total'],
    properties: { id: { type: 'string', format: 'uuid' }, total: { $ref: '#/definitions/Money' } },
  },
  Refund: {
    type: 'object',
    required: ['total'],
    properties: { at: { type: 'string', format: 'date-time' }, total: { $ref: '#/definitions/Money' } },
  },
  Query: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } } },
};
const groups: ValidatorGroup[] = [
  { dialect: 'draft-07', coerce: false, exports: ['Order', 'Refund'], aliases: [['Return', 'Refund']] },
  { dialect: 'draft-07', coerce: true, exports: ['Query'] },
];

describe('validators bundled in a worker', () => {
  it('gives the same modules, byte for byte, as bundling and splitting in process', async () => {
    const { modules } = await compileGroups(groups, new BundleInstances(definitions));
    const inWorker = await bundleInWorker(modules, groups);
    const inProcess = await bundleAndSplit(modules, groups);
    const { code } = await compileValidators(definitions, groups);
    const split = splitValidators(code);
    if (!split) throw new Error('the validators were not split');

    expect(inWorker.barrel).toBe(split.barrel);
    expect([...inWorker.modules]).toEqual([...split.modules]);
    expect(inProcess.barrel).toBe(split.barrel);
    expect([...inProcess.modules]).toEqual([...split.modules]);
    expect(inWorker.barrel).toMatch(/\bReturn\b/);
    expect(inWorker.modules.size).toBeGreaterThan(1);
  });

  it("fails with esbuild's message when the standalone code does not parse", async () => {
    const broken = new Map([['evtgen-validators:draft-07', 'export const Order = (;']]);
    await expect(bundleInWorker(broken, [groups[0] as ValidatorGroup])).rejects.toThrow(
      /Unexpected|Expected/,
    );
  });
});
