import type { Ajv } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { CompiledAjv } from '../emit/shared-ajv.js';
import type { JsonSchema } from './contract.js';

/**
 * Where to check the examples in an ajv instance the validators were compiled in: `ids[i]` is the
 * schema id of target i. A target whose schema is one of the validators' schemas (a message payload,
 * a named request or response body) gets that compiled validator; the others are added as the bundle
 * `examplesId` (`#/definitions/evtgenExample<i>`, as example-check.ts builds its own), with their
 * references into `#/definitions/` made absolute into the validators' bundle, which holds the same
 * model schemas. Returns 'refused' when the bundle is not valid JSON Schema (an instance of their
 * own refuses it in `addSchema`), and undefined when the examples must get an instance of their own:
 * none was compiled, or a schema changes how references resolve (`$id`, dynamic references).
 */
export function examplesInShared(
  targets: readonly { readonly schema: JsonSchema }[],
  bundle: Readonly<Record<string, JsonSchema>>,
  examplesId: string,
  compiled: CompiledAjv | undefined,
): { ajv: Ajv | Ajv2020; ids: string[] } | 'refused' | undefined {
  if (!compiled) return undefined;
  const { ajv, bundleId, names } = compiled;
  // The validators' bundle adds event details and named responses to the model's schemas; a name
  // they took over would make the same reference mean another schema.
  for (const [name, schema] of Object.entries(bundle))
    if (!name.startsWith('evtgenExample') && compiled.definitions[name] !== schema) return undefined;
  const definitions: Record<string, unknown> = {};
  const ids: string[] = [];
  for (const [i, { schema }] of targets.entries()) {
    const ref = onlyRef(schema);
    const name = ref?.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : names.get(schema);
    if (name !== undefined && Object.hasOwn(compiled.definitions, name)) {
      ids.push(`${bundleId}#/definitions/${name}`);
      continue;
    }
    const absolute = withAbsoluteRefs(schema, bundleId);
    if (absolute === undefined) return undefined;
    definitions[`evtgenExample${i}`] = absolute;
    ids.push(`${examplesId}#/definitions/evtgenExample${i}`);
  }
  // What `addSchema` would check first on an instance of their own: the whole bundle, meta-schema valid.
  if (ajv.validateSchema({ definitions: bundle }) !== true) return 'refused';
  ajv.addSchema({ $id: examplesId, definitions } as never, undefined, undefined, false);
  return { ajv, ids };
}

/** The reference of a schema that is nothing but `{$ref}`. */
function onlyRef(schema: JsonSchema): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const keys = Object.keys(schema);
  const ref = (schema as { $ref?: unknown }).$ref;
  return keys.length === 1 && typeof ref === 'string' ? ref : undefined;
}

/** Keywords whose values are data, not schemas: a `$ref` key inside them is not a reference. */
const dataKeywords = new Set(['const', 'default', 'enum', 'example', 'examples']);
/** Keywords whose values map names (which may be any word, `enum` or `$id` too) to schemas. */
const schemaMaps = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
  'dependencies',
]);
/** Keywords that make a reference resolve elsewhere than the bundle's `#/definitions/`. */
const scopeKeywords = new Set([
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
]);

/** Thrown inside the copy when a scope keyword occurs. */
class ScopeChange extends Error {}

/** A copy of `schema` with `#…` references prefixed by `base`; undefined when a scope keyword occurs. */
function withAbsoluteRefs(schema: unknown, base: string): unknown {
  try {
    return copySchema(schema, base);
  } catch (error) {
    if (error instanceof ScopeChange) return undefined;
    throw error;
  }
}

function copySchema(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((item) => copySchema(item, base));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (scopeKeywords.has(key)) throw new ScopeChange();
    if (dataKeywords.has(key)) out[key] = value;
    else if (key === '$ref' && typeof value === 'string')
      out[key] = value.startsWith('#') ? base + value : value;
    else if (schemaMaps.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, schema] of Object.entries(value)) map[name] = copySchema(schema, base);
      out[key] = map;
    } else out[key] = copySchema(value, base);
  }
  return out;
}
