import type { Diagnostic } from '../diagnostics.js';
import type { Locate } from '../model/build-model.js';
import type { ContractModel } from '../model/contract.js';
import type { CompileDiagnostic } from './compile-validators.js';

/**
 * The schema a validator's definition stands for: a response or a named schema that is only a
 * `$ref` (`{$ref: '#/definitions/Repo'}`) is compiled as a call to its target, so what ajv says
 * while compiling it is about the target.
 */
function refTarget(model: ContractModel, name: string): string {
  const seen = new Set<string>();
  let current = name;
  while (!seen.has(current)) {
    seen.add(current);
    const schema =
      model.schemas.find((s) => s.name === current)?.schema ??
      model.httpOperations.flatMap((op) => op.responses).find((r) => r.name === current)?.schema;
    const ref =
      typeof schema === 'object' && schema !== null && Object.keys(schema).length === 1
        ? /^#\/definitions\/([^/]+)$/.exec(String((schema as { $ref?: unknown }).$ref))?.[1]
        : undefined;
    if (ref === undefined) return current;
    current = ref;
  }
  return current;
}

/** ajv's warnings and refusals as diagnostics, at the schema each is about. */
export function validatorDiagnostics(
  model: ContractModel,
  warnings: readonly CompileDiagnostic[],
  locate: Locate | undefined,
): Diagnostic[] {
  return warnings.map((w) => {
    // ajv names the schema path it complains about, from the root of the schema it was compiling:
    // "…at path \"#/definitions/Order/properties/email\"", or "#/properties/email" inside a `$ref`
    // target compiled as its own function; that target is where the keyword is written.
    const path = /in schema at path "#((?:\/[^"]*)?)"/.exec(w.message)?.[1] ?? '';
    const inBundle = /^\/definitions\/([^/]+)(.*)$/.exec(path);
    const schemaName = refTarget(model, inBundle?.[1] ?? w.schema);
    const origin = model.schemas.find((s) => s.name === schemaName)?.origin;
    // Only a bundle path is known to lead into the schema as written: a request body's origin is
    // the Request Body Object, whose schema sits further down.
    const pointer = origin ? origin.pointer + (inBundle?.[2] ?? '') : '';
    return {
      severity: w.severity,
      code: w.severity === 'error' ? 'validator-compile' : 'validator-warning',
      message: `ajv: ${w.message.replace(/ in schema at path "[^"]*"/, '')} (schema ${schemaName}).`,
      file: origin?.file ?? '.',
      position: (origin && locate?.(origin.file, pointer)) ?? origin?.position ?? { line: 1, column: 1 },
      pointer,
      hint:
        w.severity === 'error'
          ? 'Fix the schema so that it is valid JSON Schema; ajv could not compile it.'
          : 'Unknown formats and keywords are not checked at run time; use a format ajv-formats knows.',
    };
  });
}
