/**
 * The contract's schemas as `evtgen load` uses them: validators compiled with the generated
 * validators' ajv setup (so a body passes here exactly when the running service accepts it), and
 * sample values from Redocly's openapi-sampler for what the spec gives no example of. Both read the
 * model's schema bundle, where every reference is `#/definitions/<Name>`.
 */
import type { ErrorObject } from 'ajv';
import { sample } from 'openapi-sampler';
import { validatorAjv } from '../emit/compile-validators.js';
import { isObject } from '../load/json-pointer.js';
import type { ContractModel, JsonSchema, SchemaDialect } from '../model/contract.js';

/** One validation failure: where in the value, and what is wrong. */
export interface SchemaIssue {
  readonly pointer: string;
  readonly message: string;
}

/** Validates a value; returns no issues when the schema accepts it. */
export type CheckValue = (value: unknown) => SchemaIssue[];

/** Compiles schemas of one contract; `compile` may be called any number of times. */
export interface ContractSchemas {
  compile(schema: JsonSchema, dialect: SchemaDialect): CheckValue;
  /** A value the schema describes: its example when it has one, else one the sampler makes up. */
  sample(schema: JsonSchema): unknown;
  /** The schema with top-level `$ref`s followed and `allOf` members merged (for property lists). */
  resolve(schema: JsonSchema): Readonly<Record<string, unknown>>;
}

const bundleBase = 'https://evtgen.dev/schemas/loadtest-';

/** Sets up ajv once per dialect with the model's named schemas. */
export async function contractSchemas(model: ContractModel): Promise<ContractSchemas> {
  const definitions: Record<string, JsonSchema> = {};
  for (const named of model.schemas) definitions[named.name] = named.schema;
  const instances = {
    'draft-07': await validatorAjv('draft-07', false),
    '2020-12': await validatorAjv('2020-12', false),
  };
  let counter = 0;
  const compile = (schema: JsonSchema, dialect: SchemaDialect): CheckValue => {
    // Each schema under its own id, carrying the definitions its `#/definitions/…` references name.
    const id = `${bundleBase}${counter++}.json`;
    const body = isObject(schema) ? schema : {};
    const validate = instances[dialect].compile({ ...body, $id: id, definitions } as never);
    const always = typeof schema === 'boolean' ? schema : undefined;
    return (value) => {
      if (always === false) return [{ pointer: '', message: 'no value is allowed' }];
      if (validate(value)) return [];
      return (validate.errors ?? []).map(toIssue);
    };
  };
  const resolve = (schema: JsonSchema): Readonly<Record<string, unknown>> => {
    let current: unknown = schema;
    for (let hops = 0; hops < 32 && isObject(current) && typeof current.$ref === 'string'; hops++) {
      const name = /^#\/definitions\/(.+)$/.exec(current.$ref)?.[1];
      current = name === undefined ? undefined : definitions[decodeURIComponent(name)];
    }
    if (!isObject(current)) return {};
    if (!Array.isArray(current.allOf)) return current;
    const properties: Record<string, unknown> = isObject(current.properties) ? { ...current.properties } : {};
    for (const member of current.allOf) Object.assign(properties, resolve(member as JsonSchema).properties);
    return { ...current, properties };
  };
  return {
    compile,
    resolve,
    sample: (schema) =>
      sample(schema as never, { skipReadOnly: true, quiet: true, enablePatterns: true }, { definitions }),
  };
}

function toIssue(error: ErrorObject): SchemaIssue {
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
      : '';
  return { pointer: error.instancePath, message: `${error.message ?? 'is not allowed'}${extra}` };
}

/** `/a/b must be string; /c is required`: issues in one line, for error messages. */
export function describeSchemaIssues(issues: readonly SchemaIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.pointer === '' ? '(the value)' : issue.pointer} ${issue.message}`)
    .join('; ');
}
