/**
 * The validators bundled and split in a worker thread (generator/emit/validator-bundle.ts): the
 * worker (which runs the build in dist/) gives the same bytes as the bundling and splitting in
 * process, also when the modules come one by one after the bundling has started (as ajv makes them),
 * and a bundle esbuild refuses fails the request with esbuild's message rather than hanging.
 */
import { describe, expect, it } from 'vitest';
import { compileValidators } from '../../generator/emit/bundle-validators.js';
import {
  BundleInstances,
  compileGroups,
  type ValidatorGroup,
} from '../../generator/emit/compile-validators.js';
import {
  type BundledValidators,
  bundleAndSplit,
  streamToWorker,
} from '../../generator/emit/validator-bundle.js';
import { splitValidators } from '../../generator/emit/validator-modules.js';
import type { JsonSchema } from '../../generator/model/contract.js';

/** `bundleAndSplit` in the worker, of modules all at hand: each sent, then the end. */
function bundleInWorker(
  modules: ReadonlyMap<string, string>,
  groups: readonly ValidatorGroup[],
): Promise<BundledValidators> {
  const streamed = streamToWorker(groups);
  for (const [module, code] of modules) streamed.add(module, code);
  streamed.done();
  return streamed.result;
}

/** Two groups (bodies, and coerced query parameters), a shared sub-schema, a format and an alias. */
const definitions: Record<string, JsonSchema> = {
  Address: { type: 'object', required: ['city'], properties: { city: { type: 'string', minLength: 1 } } },
  Customer: {
    type: 'object',
    required: ['email', 'home'],
    properties: { email: { type: 'string', format: 'email' }, home: { $ref: '#/definitions/Address' } },
  },
  Shipment: {
    type: 'object',
    properties: { to: { $ref: '#/definitions/Address' }, weight: { type: 'number', exclusiveMinimum: 0 } },
  },
  Page: {
    type: 'object',
    properties: { size: { type: 'integer', maximum: 100 }, sort: { enum: ['asc', 'desc'] } },
  },
};
const groups: ValidatorGroup[] = [
  {
    dialect: 'draft-07',
    coerce: false,
    exports: ['Customer', 'Shipment'],
    aliases: [['Parcel', 'Shipment']],
  },
  { dialect: 'draft-07', coerce: true, exports: ['Page'] },
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
    expect(inWorker.barrel).toMatch(/\bParcel\b/);
    expect(inWorker.modules.size).toBeGreaterThan(1);
  });

  it('waits for modules sent after the bundling started, and gives the same bytes', async () => {
    const { modules } = await compileGroups(groups, new BundleInstances(definitions));
    const streamed = streamToWorker(groups);
    // esbuild asks for both modules before either has come.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const [module, code] of [...modules].reverse()) streamed.add(module, code);
    streamed.done();
    const inProcess = await bundleAndSplit(modules, groups);
    const inWorker = await streamed.result;
    expect(inWorker.barrel).toBe(inProcess.barrel);
    expect([...inWorker.modules]).toEqual([...inProcess.modules]);
    expect(inWorker.barrel).toMatch(/\bPage\b/);
  });

  it('bundles a module that never came as empty, as in process', async () => {
    const { modules } = await compileGroups(groups, new BundleInstances(definitions));
    const [first] = modules;
    if (!first) throw new Error('no module was compiled');
    const streamed = streamToWorker(groups);
    streamed.add(...first);
    streamed.done();
    const partial = new Map([first]);
    const inWorker = streamed.result.then(
      (bundled) => ({ bundled }),
      (error: Error) => ({ error: error.message.split('\n')[0] }),
    );
    const inProcess = bundleAndSplit(partial, groups).then(
      (bundled) => ({ bundled }),
      (error: Error) => ({ error: error.message.split('\n')[0] }),
    );
    expect(await inWorker).toEqual(await inProcess);
  });

  it("fails with esbuild's message when the standalone code does not parse", async () => {
    const broken = new Map([['evtgen-validators:draft-07', 'export const Customer = (;']]);
    await expect(bundleInWorker(broken, [groups[0] as ValidatorGroup])).rejects.toThrow(
      /Unexpected|Expected/,
    );
  });
});
