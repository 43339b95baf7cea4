import type { ContractModel } from '../model/contract.js';
import { type GeneratedFile, header } from './generated-file.js';

/**
 * `validators/result.ts`: the small typed layer every generated validator returns through. It turns
 * ajv's error objects into issues whose `pointer` names the offending value (for `required` and
 * `additionalProperties`, the property itself), ready for a 400 problem+json or a DLQ log line.
 */
export function emitValidatorRuntime(model: ContractModel): GeneratedFile {
  return { path: 'validators/result.ts', content: `${header(model)}\n${runtime}` };
}

const runtime = `/** One reason a value failed validation. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) of the offending value; '' is the value itself. */
  readonly pointer: string;
  /** The JSON Schema keyword that failed, e.g. \`required\`, \`format\`, \`enum\`. */
  readonly keyword: string;
  /** Human-readable reason, e.g. "must match format \\"uuid\\"". */
  readonly message: string;
  /** Where in the schema the failing keyword is. */
  readonly schemaPath: string;
  /** The keyword's parameters (allowed values, limit, missing property …). */
  readonly params: Readonly<Record<string, unknown>>;
}

export type ValidationResult<T> =
  | { readonly valid: true; readonly value: T }
  | { readonly valid: false; readonly issues: readonly ValidationIssue[] };

/** The shape of an ajv error object as the precompiled validators report it. */
export interface CompiledValidationError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** A validator function precompiled by ajv (standalone code; no ajv compiler at run time). */
export interface CompiledValidator {
  (data: unknown): boolean;
  readonly errors?: readonly CompiledValidationError[] | null;
}

/** Runs a compiled validator and returns its verdict with every issue (validators use allErrors). */
export function runValidator<T>(validate: CompiledValidator, value: unknown): ValidationResult<T> {
  if (validate(value)) return { valid: true, value: value as T };
  return { valid: false, issues: (validate.errors ?? []).map(toIssue) };
}

function toIssue(error: CompiledValidationError): ValidationIssue {
  const property =
    error.keyword === 'required'
      ? error.params.missingProperty
      : error.keyword === 'additionalProperties'
        ? error.params.additionalProperty
        : undefined;
  const pointer =
    typeof property === 'string' ? \`\${error.instancePath}/\${property.replace(/~/g, '~0').replace(/\\//g, '~1')}\` : error.instancePath;
  return {
    pointer,
    keyword: error.keyword,
    message: error.message ?? \`must pass "\${error.keyword}"\`,
    schemaPath: error.schemaPath,
    params: error.params,
  };
}

/** "pointer: message" lines, for logs and exceptions. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => \`\${issue.pointer === '' ? '/' : issue.pointer}: \${issue.message}\`).join('; ');
}
`;
