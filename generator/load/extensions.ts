import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { packagePath } from '../package-root.js';
import { getAtPointer, splitPointer } from './json-pointer.js';
import type { SourceFile } from './source-file.js';

/**
 * evtgen's `x-` extensions, each with a JSON Schema in generator/extensions/. Values are validated
 * where they are read, and every ajv error becomes a located diagnostic.
 */
export const extensionSchemas = {
  'eventbridge-defaults': 'eventbridge-defaults.schema.json',
  'eventbridge-message': 'eventbridge-message.schema.json',
  consumer: 'consumer.schema.json',
  emits: 'emits.schema.json',
  throttling: 'throttling.schema.json',
  config: 'config.schema.json',
  compatibility: 'compatibility.schema.json',
  sunset: 'sunset.schema.json',
  'ignore-file': 'ignore-file.schema.json',
} as const;

/** Schemas other extension schemas refer to by `$id`. */
const sharedSchemas = ['ignore-entry.schema.json'];

export type ExtensionKind = keyof typeof extensionSchemas;

const validators = new Map<ExtensionKind, ValidateFunction>();
let ajv: Ajv | undefined;

function validatorFor(kind: ExtensionKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv({ allErrors: true, strict: true });
      for (const shared of sharedSchemas)
        ajv.addSchema(
          JSON.parse(readFileSync(packagePath('generator', 'extensions', shared), 'utf8')) as object,
        );
    }
    const path = packagePath('generator', 'extensions', extensionSchemas[kind]);
    validate = ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
    validators.set(kind, validate);
  }
  return validate;
}

/** The extension's JSON Schema, for documentation and tests. */
export function extensionSchema(kind: ExtensionKind): Record<string, unknown> {
  return validatorFor(kind).schema as Record<string, unknown>;
}

/**
 * Validates `value` (found at `pointer` in `file`, under the key `extensionName`) against the
 * schema of `kind`. Returns one diagnostic per violation, located at the offending value.
 */
export function checkExtension(
  kind: ExtensionKind,
  extensionName: string,
  value: unknown,
  file: SourceFile,
  pointer: string,
): Diagnostic[] {
  const validate = validatorFor(kind);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => {
    const at = pointer + error.instancePath;
    const where = error.instancePath === '' ? extensionName : `${extensionName}${dotted(error.instancePath)}`;
    const allowed = describeAllowed(error.params as Record<string, unknown>, error.keyword);
    const found = getAtPointer(value, error.instancePath);
    const shown = found === null || typeof found !== 'object' ? ` ${JSON.stringify(found)}` : '';
    return {
      severity: 'error' as const,
      code: 'extension-invalid',
      message: `Invalid ${where}${shown}: ${error.message ?? 'not allowed'}${allowed}.`,
      file: file.displayPath,
      position: file.locate(at),
      pointer: at,
      hint: `See the ${extensionName} reference in the README (schema: generator/extensions/${extensionSchemas[kind]}).`,
    };
  });
}

function dotted(instancePath: string): string {
  return splitPointer(instancePath)
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('');
}

function describeAllowed(params: Record<string, unknown>, keyword: string): string {
  if (keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return ` (allowed: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  }
  if (keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return ` ("${params.additionalProperty}")`;
  }
  return '';
}
