/**
 * The validators split into modules (generator/emit/validator-modules.ts): the code only one
 * validator uses is in its own module, the code several share in a module of that set, the modules
 * import no cycle (recursion included), and the validators give the same verdicts as the single
 * module they come from.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileValidators } from '../../generator/emit/bundle-validators.js';
import { splitValidators, type ValidatorModules } from '../../generator/emit/validator-modules.js';
import type { JsonSchema } from '../../generator/model/contract.js';

const definitions: Record<string, JsonSchema> = {
  Money: {
    type: 'object',
    required: ['amount'],
    properties: { amount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' } },
    additionalProperties: false,
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
  TreeNode: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string' },
      children: { type: 'array', items: { $ref: '#/definitions/TreeNode' } },
    },
  },
};
const exports = ['Order', 'Refund', 'TreeNode'];

type Validator = (data: unknown) => boolean;
let dir: string;
let code: string;
let split: ValidatorModules;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evtgen-validator-modules-'));
  const compiled = await compileValidators(definitions, [{ dialect: 'draft-07', coerce: false, exports }]);
  code = compiled.code;
  const modules = splitValidators(code);
  if (!modules) throw new Error('the validators were not split');
  split = modules;
  await mkdir(join(dir, 'compiled'));
  await writeFile(join(dir, 'single.js'), code);
  await writeFile(join(dir, 'compiled.js'), split.barrel);
  for (const [file, text] of split.modules) await writeFile(join(dir, 'compiled', file), text);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Module file → the files it imports. */
function importsOf(modules: ReadonlyMap<string, string>): Map<string, string[]> {
  return new Map(
    [...modules].map(([file, text]) => [
      file,
      [...text.matchAll(/ from '\.\/([^']+)';/g)].map((m) => m[1] as string),
    ]),
  );
}

describe('the validator modules', () => {
  it("put each validator's own code in its module and shared code in a module of the set", () => {
    const files = [...split.modules.keys()];
    for (const name of exports) expect(files).toContain(`${name}.js`);
    // Money is used by Order and Refund: its function is in a shared module both import.
    const shared = files.filter((file) => file.startsWith('shared-'));
    expect(shared.length).toBeGreaterThan(0);
    const graph = importsOf(split.modules);
    const sharedByBoth = (graph.get('Order.js') ?? []).filter((f) =>
      (graph.get('Refund.js') ?? []).includes(f),
    );
    expect(sharedByBoth.length).toBeGreaterThan(0);
    for (const name of exports)
      expect(split.barrel).toContain(`export { ${name} } from './compiled/${name}.js';`);
  });

  it('import no cycle', () => {
    const graph = importsOf(split.modules);
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      expect(state.get(file), `cycle: ${[...path, file].join(' → ')}`).not.toBe('open');
      if (state.get(file) === 'done') return;
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
  });

  it('are the same every time', () => {
    const again = splitValidators(code);
    expect(again?.barrel).toBe(split.barrel);
    expect([...(again?.modules ?? [])]).toEqual([...split.modules]);
  });

  it('validate as the single module does', async () => {
    const single = (await import(pathToFileURL(join(dir, 'single.js')).href)) as Record<string, Validator>;
    const modules = (await import(pathToFileURL(join(dir, 'compiled.js')).href)) as Record<string, Validator>;
    const samples: [string, unknown][] = [
      ['Order', { id: '0b6b9a52-3c55-4f43-9b7e-7d2bd0c4a1f1', total: { amount: '1.00' } }],
      ['Order', { id: 'nope', total: { amount: '1' } }],
      ['Refund', { at: '2026-12-06T10:00:00Z', total: { amount: '2.50' } }],
      ['Refund', { at: 'yesterday', total: { amount: '2.50', extra: 1 } }],
      ['TreeNode', { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] }],
      ['TreeNode', { name: 'a', children: [{ children: [] }] }],
    ];
    for (const [name, value] of samples) {
      const expected = single[name]?.(value);
      expect(modules[name]?.(value), `${name} ${JSON.stringify(value)}`).toBe(expected);
      expect((modules[name] as { errors?: unknown } | undefined)?.errors).toEqual(
        (single[name] as { errors?: unknown } | undefined)?.errors,
      );
    }
  });

  // A statement that does not start with a declaration: the caller keeps the single module.
  it('refuse a module of an unexpected shape', () => {
    expect(splitValidators('var a = 1;\n  stray\nexport { a };\n')).toBeDefined();
    expect(splitValidators('a = 1;\nexport { a };\n')).toBeUndefined();
    expect(splitValidators('var a = 1;\nvar a = 2;\nexport { a };\n')).toBeUndefined();
    expect(splitValidators('var a = 1;\nexport { b };\n')).toBeUndefined();
  });

  it('still split when a schema written into the code has text over several lines', async () => {
    // ajv writes a schema object into the code when an error reports its values (`enum`), with its
    // descriptions: GitHub's REST API has Markdown ones ("> [!NOTE]" at the start of a line).
    const described: Record<string, JsonSchema> = {
      Runner: {
        type: 'object',
        // Both quotes and line breaks: esbuild prints the string as a template literal, unless told not to.
        description: 'A runner\'s labels.\n\n> [!NOTE]\n> Their value is "unknown" on old runners.\n',
        properties: {
          os: { type: 'string', enum: ['linux', 'windows'], description: 'Its OS;\nsee above.' },
        },
      },
    };
    const compiled = await compileValidators(described, [
      { dialect: 'draft-07', coerce: false, exports: ['Runner'] },
    ]);
    expect(compiled.code).toContain('[!NOTE]');
    const modules = splitValidators(compiled.code);
    expect(modules?.modules.has('Runner.js')).toBe(true);
  });
});
