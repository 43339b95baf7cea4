import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { getAtPointer, isObject, joinPointer, splitPointer } from '../load/json-pointer.js';
import type { JsonSchema, SchemaDialect } from './contract.js';

/** A schema problem, at a pointer relative to the schema's root. */
export interface SchemaProblem {
  readonly pointer: string;
  readonly message: string;
  readonly hint: string;
}

const metaValidators = new Map<SchemaDialect, Ajv>();

function metaValidator(dialect: SchemaDialect): Ajv {
  let ajv = metaValidators.get(dialect);
  if (!ajv) {
    const options = { strict: false, allErrors: true, validateFormats: false };
    ajv = dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options);
    metaValidators.set(dialect, ajv);
  }
  return ajv;
}

/**
 * Checks a schema against its dialect's meta-schema and compiles every `pattern` the way the
 * generated validators will (`u` flag), before any emitter runs. Without this an `enum: []` or a
 * `pattern: "["` surfaced as an exception from deep inside ajv's compiler; here it becomes a
 * diagnostic at the offending keyword. `$ref`s are not followed: each referenced schema is checked
 * where it is written.
 */
export function checkSchema(schema: JsonSchema, dialect: SchemaDialect): SchemaProblem[] {
  const ajv = metaValidator(dialect);
  ajv.validateSchema(schema);
  const problems: SchemaProblem[] = mostSpecific(ajv.errors ?? []).map((error) => {
    const keyword = splitPointer(error.instancePath).pop() ?? '(schema)';
    const value = getAtPointer(schema, error.instancePath);
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    return {
      pointer: error.instancePath,
      message: `The keyword "${keyword}" is ${JSON.stringify(value)}, which is not valid JSON Schema ${dialect}: it ${error.message}${allowed ? ` (${allowed.map((v) => JSON.stringify(v)).join(', ')})` : ''}.`,
      hint: 'Write the keyword as the JSON Schema specification defines it.',
    };
  });
  return [...problems, ...uncompilableKeywords(schema)];
}

/** Problems per dialect and schema text (`checkSchemaOnce`). */
const checkedTexts = new Map<string, SchemaProblem[]>();

/**
 * `checkSchema`, remembered by the schema's JSON text for the life of the process. `check` loads
 * two versions of the specs, mostly the same schemas: the second load finds most of them checked.
 * Both checks read nothing but the schema's value, and problems point relative to its root, so the
 * same text has the same problems (spelling it is far cheaper than ajv's meta-schema validation).
 */
export function checkSchemaOnce(schema: JsonSchema, dialect: SchemaDialect): SchemaProblem[] {
  const text = JSON.stringify(schema);
  // A bare `null` may stand for a YAML `.inf` or `.nan`, which JSON cannot spell: check it afresh.
  if (/[:,[]null[,}\]]/.test(text)) return checkSchema(schema, dialect);
  const key = `${dialect}\n${text}`;
  let problems = checkedTexts.get(key);
  if (!problems) {
    problems = checkSchema(schema, dialect);
    checkedTexts.set(key, problems);
  }
  return problems;
}

/**
 * ajv reports one failing keyword several times (every `anyOf` branch of the meta-schema, then the
 * `anyOf` itself); keep the first concrete error per location.
 */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === '$dynamicRef') continue;
    if (!byPath.has(error.instancePath)) byPath.set(error.instancePath, error);
  }
  return [...byPath.values()];
}

/**
 * Keywords the meta-schema accepts but ajv cannot compile: a `pattern` or `patternProperties` key
 * that JavaScript refuses with the `u` flag, and `enum: []` (valid since draft 6, but ajv throws).
 */
function uncompilableKeywords(schema: unknown): SchemaProblem[] {
  const found: SchemaProblem[] = [];
  // The path to the node being visited; its pointer is spelled only for a problem (most schemas
  // have none, and a pointer per keyword was most of this walk's cost).
  const path: (string | number)[] = [];
  const here = (...more: string[]): string => joinPointer('', ...path, ...more);
  const check = (pattern: string, ...more: string[]): void => {
    try {
      new RegExp(pattern, 'u');
    } catch (error) {
      found.push({
        pointer: here(...more),
        message: `The pattern ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message}).`,
        hint: 'Write an ECMA-262 regular expression as JSON Schema requires; escape literal brackets and backslashes.',
      });
    }
  };
  const visitAt = (node: unknown, ...segments: (string | number)[]): void => {
    path.push(...segments);
    visit(node);
    path.length -= segments.length;
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visitAt(node[i], i);
      return;
    }
    if (!isObject(node)) return;
    for (const key in node) {
      if (!Object.hasOwn(node, key) || key.startsWith('x-')) continue;
      const child = node[key];
      // Inside these keywords the keys are property names or data, not schema keywords.
      if (key === 'properties' || key === 'definitions' || key === '$defs' || key === 'dependentSchemas') {
        if (isObject(child)) for (const name of Object.keys(child)) visitAt(child[name], key, name);
      } else if (key === 'patternProperties' && isObject(child)) {
        for (const pattern of Object.keys(child)) {
          check(pattern, key, pattern);
          visitAt(child[pattern], key, pattern);
        }
      } else if (key === 'pattern' && typeof child === 'string') check(child, key);
      else if (key === 'enum' && Array.isArray(child) && child.length === 0) {
        found.push({
          pointer: here(key),
          message: '`enum: []` accepts no value at all, and ajv (which compiles the validators) refuses it.',
          hint: 'List the allowed values; to accept nothing on purpose, write `not: {}`.',
        });
      } else if (
        key !== 'enum' &&
        key !== 'const' &&
        key !== 'examples' &&
        key !== 'default' &&
        key !== 'example'
      ) {
        visitAt(child, key);
      }
    }
  };
  visit(schema);
  return found;
}
