/**
 * ajv's name counting in linear time (generator/emit/ajv-names.ts) counts what ajv counts, so the
 * optimizer prunes the same code: validators compiled with it are byte-identical to ajv's own, on
 * the schemas of GitHub's REST API description (deep nesting, `if`/`else` chains, loops over
 * properties and items, shared `$ref`s) and on a syntax tree with every kind of block.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { installLinearNames } from '../../generator/emit/ajv-names.js';
import { validatorOptions } from '../../generator/emit/compile-validators.js';

const require = createRequire(import.meta.url);
const { Ajv: AjvClass } = require('ajv') as { Ajv: new (options: object) => Ajv };
const addFormats = require('ajv-formats').default as (ajv: Ajv) => void;
const standaloneCode = require('ajv/dist/standalone').default as (
  ajv: Ajv,
  refs: Record<string, string>,
) => string;
const codegen = require('ajv/dist/compile/codegen/index.js');

const github = JSON.parse(
  readFileSync(
    join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json'),
    'utf8',
  ),
  // OpenAPI 3.0's `nullable` without `type` is an error to ajv; evtgen converts it first (the model
  // layer), which is beside the point here.
  (key, value) => (key === 'nullable' ? undefined : value),
) as { components: { schemas: Record<string, unknown> } };
// The largest schemas, where nesting is deepest, and a spread of the rest.
const names = Object.keys(github.components.schemas)
  .sort((a, b) => size(b) - size(a))
  .filter((_, i) => i < 8 || i % 60 === 0);

function size(name: string): number {
  return JSON.stringify(github.components.schemas[name]).length;
}

/** The validators of `names`, as generate compiles HTTP parameters (coercion adds blocks). */
function compileGithub(): string {
  const ajv = new AjvClass({
    ...validatorOptions(true),
    logger: false,
    code: { source: true, esm: true, lines: true },
  });
  addFormats(ajv);
  ajv.addSchema({ $id: 'github.json', components: github.components } as never, undefined, undefined, false);
  const refs = Object.fromEntries(
    names.map((name, i) => [`v${i}`, `github.json#/components/schemas/${name.replaceAll('/', '~1')}`]),
  );
  return standaloneCode(ajv, refs);
}

/** A function with every block kind: if/else-if/else, for loops (range, of, in), try/catch/finally. */
function counted(): Record<string, number> {
  const { _, CodeGen, Name } = codegen;
  const gen = new CodeGen({}, { es5: false, lines: true, ownProperties: true });
  const [a, b, c, d, i, k] = ['a', 'b', 'c', 'd', 'i', 'k'].map((n) => new Name(n));
  gen.func(new Name('f'), _`${a}, ${b}`, false, () => {
    gen.let(c, 0);
    gen.if(_`${a} > ${b}`);
    gen.assign(c, _`${c} + ${a}`);
    gen.elseIf(_`${a} < ${c}`);
    gen.assign(c, _`${c} - ${b}`);
    gen.else();
    gen.forRange(i, 0, _`${a}.length`, (x: unknown) => gen.assign(c, _`${c} + ${x} + ${d}`));
    gen.endIf();
    gen.forOf(k, _`${b}.items`, (x: unknown) => {
      gen.if(_`${x} === ${c}`, () => gen.break());
    });
    gen.try(
      () => gen.forIn(k, b, (x: unknown) => gen.assign(_`${a}[${x}]`, c)),
      (e: unknown) => gen.throw(_`${e}.${d}`),
      () => gen.code(_`${a}.done(${c})`),
    );
    gen.return(c);
  });
  return { ...(gen as unknown as { _root: { names: Record<string, number> } })._root.names };
}

describe('linear name counting for ajv (installLinearNames)', () => {
  let restore = () => {};
  afterAll(() => restore());

  it('counts every name of every block kind as ajv does', async () => {
    (await installLinearNames())();
    const ajvs = counted();
    restore = await installLinearNames();
    const linear = counted();
    expect(Object.keys(ajvs).length).toBeGreaterThan(5);
    expect(linear).toEqual(ajvs);
  });

  it("compiles GitHub's schemas to the same validators as ajv's own counting, byte for byte", async () => {
    (await installLinearNames())();
    const ajvs = compileGithub();
    restore = await installLinearNames();
    const linear = compileGithub();
    expect(ajvs.length).toBeGreaterThan(500_000);
    expect(linear).toBe(ajvs);
  });

  it('replaces the counting of the block nodes ajv shares between instances, and restores it', async () => {
    (await installLinearNames())();
    const { CodeGen } = codegen;
    const prototype = Object.getPrototypeOf(Object.getPrototypeOf(new CodeGen({})._root));
    const own = Object.getOwnPropertyDescriptor(prototype, 'names')?.get;
    restore = await installLinearNames();
    const replaced = Object.getOwnPropertyDescriptor(prototype, 'names')?.get;
    expect(replaced).not.toBe(own);
    restore();
    expect(Object.getOwnPropertyDescriptor(prototype, 'names')?.get).toBe(own);
  });
});
