/**
 * The validators' ajv instances are shared with the example check (compile-validators.ts
 * `BundleInstances`): what ajv says while the check compiles still reaches the validators'
 * warnings, neither lost nor repeated, and a bundle ajv refuses is an error diagnostic, not a crash.
 */
import { describe, expect, it } from 'vitest';
import { compileValidators } from '../../generator/emit/bundle-validators.js';
import { BundleInstances } from '../../generator/emit/compile-validators.js';
import type { JsonSchema } from '../../generator/model/contract.js';

const group = (exports: string[]) => [{ dialect: 'draft-07' as const, coerce: false, exports }];

describe('compileValidators on shared instances', () => {
  it('reports the warnings ajv gave while the example check compiled, as a fresh compile does, for the validator', async () => {
    const definitions: Record<string, JsonSchema> = {
      Repo: { type: 'object', properties: { name: { type: 'string', format: 'repo.nwo' } } },
    };
    const instances = new BundleInstances(definitions);
    const checked = await instances.validator('draft-07', false, 'Repo');
    expect(checked?.({ name: 'octo/hello' })).toBe(true);
    const { warnings } = await compileValidators(definitions, group(['Repo']), instances);
    // The same as compiling afresh (ajv says it twice there too): none lost, none repeated.
    expect(warnings).toEqual((await compileValidators(definitions, group(['Repo']))).warnings);
    expect(warnings.length).toBeGreaterThan(0);
    for (const warning of warnings) {
      expect(warning).toMatchObject({ severity: 'warning', schema: 'Repo' });
      expect(warning.message).toContain('unknown format "repo.nwo"');
    }
  });

  it('turns a bundle ajv refuses into an error for the validator, not a crash', async () => {
    const definitions: Record<string, JsonSchema> = {
      A: { $id: 'https://example.com/same', type: 'string' },
      B: { $id: 'https://example.com/same', type: 'number' },
    };
    const { warnings } = await compileValidators(definitions, group(['A']));
    expect(warnings.map((w) => [w.severity, w.schema])).toEqual([['error', 'A']]);
  });
});
