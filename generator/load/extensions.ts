import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { packagePath } from '../package-root.js';
import { getAtPointer, joinPointer, splitPointer } from './json-pointer.js';
import type { SourceFile } from './source-file.js';

/**
 * evtgen's `x-` extensions, each with a JSON Schema in generator/extensions/. Values are validated
 * where they are read, and every ajv error becomes a located diagnostic.
 */
export const extensionSchemas = {
  'eventbridge-defaults': 'eventbridge-defaults.schema.json',
  'eventbridge-message': 'eventbridge-message.schema.json',
  'eventbridge-channel': 'eventbridge-channel.schema.json',
  consumer: 'consumer.schema.json',
  emits: 'emits.schema.json',
  throttling: 'throttling.schema.json',
  slo: 'slo.schema.json',
  cors: 'cors.schema.json',
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
      // verbose: errors carry their schema, so an unknown field can be reported with the known ones.
      ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
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
    const unknownField =
      error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string'
        ? (error.params.additionalProperty as string)
        : undefined;
    // An unknown field is reported at its own key, not at the object holding it.
    const instancePath =
      unknownField === undefined ? error.instancePath : joinPointer(error.instancePath, unknownField);
    const at = pointer + instancePath;
    const where = instancePath === '' ? extensionName : `${extensionName}${dotted(instancePath)}`;
    const found = getAtPointer(value, instancePath);
    const shown =
      unknownField === undefined && (found === null || typeof found !== 'object')
        ? ` ${JSON.stringify(found)}`
        : '';
    const problem =
      unknownField === undefined
        ? `${error.message ?? 'not allowed'}${describeAllowed(error.params as Record<string, unknown>, error.keyword)}`
        : `unknown field${knownFields(error.parentSchema)}`;
    return {
      severity: 'error' as const,
      code: 'extension-invalid',
      message: `Invalid ${where}${shown}: ${problem}.`,
      file: file.displayPath,
      position: file.locate(at),
      pointer: at,
      hint: `See the ${extensionName} reference in docs/specs.md (schema: generator/extensions/${extensionSchemas[kind]}).`,
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
  return '';
}

/** ` (known: "a", "b")`: the fields the schema of an object with an unknown field declares. */
function knownFields(parentSchema: unknown): string {
  const properties =
    typeof parentSchema === 'object' && parentSchema !== null && 'properties' in parentSchema
      ? parentSchema.properties
      : undefined;
  if (typeof properties !== 'object' || properties === null) return '';
  const names = Object.keys(properties);
  return names.length > 0 ? ` (known: ${names.map((n) => JSON.stringify(n)).join(', ')})` : '';
}
