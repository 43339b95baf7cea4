/**
 * ajv's standalone code for many exports, in linear time.
 *
 * Why not `ajv/dist/standalone` as is: its multi-export loop rebuilds the whole module so far on
 * every export (`code = _\`${code}…\``, which copies every code item each time), so its cost grows
 * with the square of the number of exports: 8 of the 21 s of `evtgen generate` on GitHub's REST API
 * description (3,000 validators) went there. This is the same algorithm (ajv 8's
 * `multiExportsCode`/`validateCode`, ES module exports only) with the exports' code collected in a
 * list and joined once; the output is byte-identical (test/unit/ajv-standalone.test.ts).
 */
import type { Ajv } from 'ajv';
import type { Code } from 'ajv/dist/compile/codegen/code.js';
import type {
  ScopeValueSets,
  UsedScopeValues,
  UsedValueState,
  ValueScope,
  ValueScopeName,
} from 'ajv/dist/compile/codegen/scope.js';

/** What ajv keeps on a compiled function with `code.source: true`. */
interface ValidateSource {
  readonly validateName: ValueScopeName;
  readonly validateCode: string;
  readonly scopeValues: ScopeValueSets;
  readonly evaluated?: Code;
}

/**
 * The ES module exporting `refs` (export name → schema id) validators: what
 * `standaloneCode(ajv, refs)` returns for an instance with `code: {source: true, esm: true}`.
 */
export async function standaloneModule(ajv: Ajv, refs: Readonly<Record<string, string>>): Promise<string> {
  const [{ _, _Code, getEsmExportName, nil }, { UsedValueState: state }] = await Promise.all([
    import('ajv/dist/compile/codegen/code.js'),
    import('ajv/dist/compile/codegen/scope.js'),
  ]);
  const options = (ajv as unknown as { opts: { code: { source?: boolean; esm?: boolean } } }).opts;
  if (!options.code.source || !options.code.esm)
    throw new Error('standaloneModule: the ajv instance needs code.source and code.esm');
  const scope = (ajv as unknown as { scope: ValueScope & { opts: { _n: Code } } }).scope;
  const newline = scope.opts._n;
  const used: UsedScopeValues = {};

  const stateOf = (name: ValueScopeName) => used[name.prefix]?.get(name);
  const setState = (name: ValueScopeName, state: UsedValueState) => {
    const names = used[name.prefix] ?? new Map<ValueScopeName, UsedValueState | undefined>();
    used[name.prefix] = names;
    names.set(name, state);
  };

  const validateCode = (source: ValidateSource | undefined): Code => {
    if (!source) throw new Error('standaloneModule: a validator has no "source" (code.source off?)');
    if (stateOf(source.validateName) === state.Completed) return nil;
    setState(source.validateName, state.Started);
    const scopeCode = scope.scopeCode(source.scopeValues, used, refValidateCode);
    const code = new _Code(`${scopeCode}${newline}${source.validateCode}`);
    return source.evaluated
      ? _`${code}${source.validateName}.evaluated = ${source.evaluated};${newline}`
      : code;
  };

  function refValidateCode(name: ValueScopeName): Code | undefined {
    const ref = name.value?.ref;
    if (name.prefix === 'validate' && typeof ref === 'function') {
      return validateCode((ref as { source?: ValidateSource }).source);
    }
    if ((name.prefix === 'root' || name.prefix === 'wrapper') && typeof ref === 'object' && ref !== null) {
      const { validate, validateName } = ref as {
        validate?: { source?: ValidateSource };
        validateName?: ValueScopeName;
      };
      if (!validateName) throw new Error('ajv internal error');
      const wrapper = _`const ${name} = {validate: ${validateName}};`;
      if (stateOf(validateName) === state.Started) return wrapper;
      return _`${wrapper}${newline}${validateCode(validate?.source)}`;
    }
    return undefined;
  }

  const parts = ['"use strict";'];
  for (const name in refs) {
    const id = refs[name] as string;
    const validate = ajv.getSchema(id) as
      | (((data: unknown) => boolean) & { source?: ValidateSource })
      | undefined;
    if (!validate) throw new Error(`standaloneModule: no schema with id ${id}`);
    const code = validateCode(validate.source);
    parts.push(
      `${_`${newline}export const ${getEsmExportName(name)} = ${validate.source?.validateName};${newline}${code}`}`,
    );
  }
  return parts.join('');
}
