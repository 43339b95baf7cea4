import { pinKey } from '../deps/pin.js';
import type { Diagnostic, SourcePosition } from '../diagnostics.js';
import { getAtPointer, isObject, joinPointer, splitPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import { isDiagnostic, type SpecWorkspace } from '../load/workspace.js';
import type { JsonSchema, NamedSchema, SchemaDialect, SourceRef } from './contract.js';
import { type NameRegistry, toKebabName, toTypeName } from './naming.js';
import { checkSchema, checkSchemaOnce, type SchemaProblem } from './schema-check.js';
import { schemaDifference, shown } from './schema-twins.js';

/** How a schema is read: the dialect it is validated in, and whether OpenAPI 3.0 rules apply. */
export interface SchemaContext {
  readonly dialect: SchemaDialect;
  /** OpenAPI 3.0: `nullable` and boolean `exclusiveMinimum/Maximum` are rewritten to JSON Schema. */
  readonly openapi30: boolean;
  readonly usedBy: 'asyncapi' | 'openapi';
}

/** Keywords whose value is a schema, an array of schemas, or a map of schemas. */
// biome-ignore format: a word list reads best packed
const schemaKeywords = new Set([
  'additionalProperties', 'additionalItems', 'contains', 'propertyNames', 'if', 'then', 'else', 'not',
  'unevaluatedProperties', 'unevaluatedItems', 'contentSchema',
]);
const schemaArrayKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const schemaMapKeywords = new Set(['properties', 'patternProperties', 'dependentSchemas']);
/** Containers and identifiers that lose their meaning once every `$ref` points into one bundle. */
const droppedKeywords = new Set(['$defs', 'definitions', '$id', '$schema', '$anchor', 'id']);

interface CollectedSchema {
  named: NamedSchema;
  usedBy: Set<'asyncapi' | 'openapi'>;
}

/**
 * Turns spec schemas into bundle form: every `$ref` target becomes a named schema (named after the
 * last segment of its pointer) and the reference becomes `#/definitions/<Name>`. Recursive schemas
 * work because a target is named before it is walked.
 */
export class SchemaCollector {
  private readonly byOrigin = new Map<string, CollectedSchema>();
  /** Schemas collected from the specs by TypeScript name (the first one of each name). */
  private readonly byName = new Map<string, CollectedSchema>();
  /** The meta-schema check's problems per converted place (see `convert`). */
  private readonly checked = new Map<string, SchemaProblem[]>();
  readonly diagnostics: Diagnostic[] = [];

  /** Conversions per place, kept with `reuseConversions` (see `convert`). */
  private readonly converted = new Map<string, JsonSchema>();

  constructor(
    private readonly workspace: SpecWorkspace,
    private readonly names: NameRegistry,
    /** Every use of a place gets one converted object (`check` reads only the diagnostics). */
    private readonly reuseConversions = false,
  ) {}

  /** Every named schema collected so far, sorted by name, with the document kinds using it. */
  collected(): { schema: NamedSchema; usedBy: ReadonlySet<'asyncapi' | 'openapi'> }[] {
    return [...new Set(this.byOrigin.values())]
      .map((c) => ({ schema: c.named, usedBy: c.usedBy }))
      .sort((a, b) => (a.schema.name < b.schema.name ? -1 : a.schema.name > b.schema.name ? 1 : 0));
  }

  /**
   * Names the schema at `pointer` in `file` (a components entry, a message payload) with `name`
   * (or, by default, its pointer's last segment) and returns that name, or undefined on error.
   */
  nameSchema(file: SourceFile, pointer: string, context: SchemaContext, name?: string): string | undefined {
    const key = `${file.displayPath}#${pointer}`;
    const existing = this.byOrigin.get(key);
    if (existing) {
      existing.usedBy.add(context.usedBy);
      return existing.named.name;
    }
    const specName = name ?? lastSegment(file, pointer);
    const typeName = toTypeName(specName);
    const origin = this.origin(file, pointer);
    const twin = this.byName.get(typeName);
    // Within one document a second schema of the same name is a naming mistake (name-collision).
    if (twin && twin.named.origin.file !== file.displayPath)
      return this.unify(twin, key, file, pointer, context, specName);
    if (!this.names.claim(typeName, origin, 'schema', specName)) return undefined;
    const placeholder: CollectedSchema = {
      named: { name: typeName, schema: {}, dialect: context.dialect, origin },
      usedBy: new Set([context.usedBy]),
    };
    this.byOrigin.set(key, placeholder);
    this.byName.set(typeName, placeholder);
    const schema = this.convert(file, pointer, context);
    placeholder.named = { ...placeholder.named, schema };
    return typeName;
  }

  /**
   * A second schema with the name of one already collected (e.g. `Money` in an OpenAPI and an
   * AsyncAPI document): the same schema becomes one type; a different one is an error that shows
   * the first difference. The candidate is filed under the twin while it is converted, so its own
   * recursive references resolve to the shared name.
   */
  private unify(
    twin: CollectedSchema,
    key: string,
    file: SourceFile,
    pointer: string,
    context: SchemaContext,
    specName: string,
  ): string | undefined {
    this.byOrigin.set(key, twin);
    const schema = this.convert(file, pointer, context);
    const difference = schemaDifference(twin.named, { schema, dialect: context.dialect });
    if (!difference) {
      twin.usedBy.add(context.usedBy);
      return twin.named.name;
    }
    this.byOrigin.delete(key);
    // Another service's schema (a pin in specs/external/) cannot be moved to a shared file: it keeps
    // its producer's content under the producer's prefix (`Carrier` of com.example.shipping →
    // `ShippingCarrier`), so neither service's type changes meaning.
    const owner = pinnedSource(file);
    if (owner) return this.nameSchema(file, pointer, context, `${owner}${toTypeName(specName)}`);
    const first = twin.named.origin;
    const at = pointer + difference.pointer;
    this.diagnostics.push({
      severity: 'error',
      code: 'schema-conflict',
      message:
        `The schema "${specName}" and the schema at ${first.file}:${first.position.line}:${first.position.column} ` +
        `(${first.pointer}) have one name but differ at ${difference.pointer || '(the root)'}: ` +
        `${shown(difference.b)} here, ${shown(difference.a)} there.`,
      file: file.displayPath,
      position: file.locate(existingPrefix(file, at)),
      pointer: at,
      hint: `Define it once in a shared file under specs/ (e.g. specs/schemas/${toKebabName(specName)}.yaml) and $ref it from both documents, or rename one of them.`,
    });
    return undefined;
  }

  /**
   * Registers a schema evtgen builds itself (a parameter set, an absent payload) under `name`, so it
   * joins the bundle like any spec schema. Returns the name, or undefined on a collision.
   */
  defineSchema(
    name: string,
    origin: SourceRef,
    schema: JsonSchema,
    context: SchemaContext,
  ): string | undefined {
    if (!this.names.claim(name, origin, 'schema', name)) return undefined;
    const key = `${origin.file}#${origin.pointer}#${name}`;
    this.byOrigin.set(key, {
      named: { name, schema, dialect: context.dialect, origin },
      usedBy: new Set([context.usedBy]),
    });
    return name;
  }

  /** Converts the (unnamed) schema at `pointer` to bundle form, naming every `$ref` target it uses. */
  convert(file: SourceFile, pointer: string, context: SchemaContext): JsonSchema {
    // A schema under components.parameters or components.responses is converted for every operation
    // that uses it (GitHub's description: 14,000 conversions of 5,500 places), always to the same
    // result (the names its `$ref`s get are fixed once given), so its meta-schema check runs once;
    // with `reuseConversions` the conversion too (its diagnostics would only repeat the first ones,
    // which the loader drops as duplicates), and the check across loads (`checkSchemaOnce`).
    const key = `${file.path}#${pointer}|${context.dialect}|${context.openapi30}`;
    const known = this.reuseConversions ? this.converted.get(key) : undefined;
    if (known !== undefined) return known;
    const schema = this.convertValue(file, pointer, this.valueAt(file, pointer), context);
    if (this.reuseConversions) this.converted.set(key, schema);
    let problems = this.checked.get(key);
    if (!problems) {
      problems = (this.reuseConversions ? checkSchemaOnce : checkSchema)(schema, context.dialect);
      this.checked.set(key, problems);
    }
    // The converted schema keeps the shape of the source (refs become `#/definitions/…` strings), so a
    // problem's relative pointer locates it in the spec.
    for (const problem of problems) {
      const at = pointer + problem.pointer;
      this.diagnostics.push({
        severity: 'error',
        code: 'schema-invalid',
        message: problem.message,
        file: file.displayPath,
        position: file.locate(at),
        pointer: at,
        hint: problem.hint,
      });
    }
    return schema;
  }

  /**
   * If the schema at `pointer` is a bare `$ref`, the name of its target; used to let a message's
   * payload type be the referenced schema itself instead of an alias of it.
   */
  refTargetName(file: SourceFile, pointer: string, context: SchemaContext): string | undefined {
    const value = this.valueAt(file, pointer);
    if (!isObject(value) || typeof value.$ref !== 'string' || Object.keys(value).length !== 1)
      return undefined;
    const target = this.workspace.resolveRef(file, value.$ref, pointer);
    if (isDiagnostic(target)) return undefined;
    return this.nameSchema(target.file, target.pointer, context);
  }

  /**
   * Where a schema or operation came from. The position is found when first read (a diagnostic, a
   * generated comment): locating means indexing the file, which `check` never needs for a baseline.
   */
  origin(file: SourceFile, pointer: string): SourceRef {
    let position: SourcePosition | undefined;
    return {
      file: file.displayPath,
      pointer,
      get position() {
        position ??= file.locate(pointer);
        return position;
      },
    };
  }

  private valueAt(file: SourceFile, pointer: string): unknown {
    return getAtPointer(file.value, pointer);
  }

  private convertValue(
    file: SourceFile,
    pointer: string,
    value: unknown,
    context: SchemaContext,
  ): JsonSchema {
    if (typeof value === 'boolean') return value;
    if (!isObject(value)) {
      this.diagnostics.push({
        severity: 'error',
        code: 'schema-invalid',
        message: `Expected a schema (an object or a boolean) but found ${describe(value)}.`,
        file: file.displayPath,
        position: file.locate(pointer),
        pointer,
        hint: 'Write a JSON Schema object here, e.g. `{type: string}`.',
      });
      return {};
    }
    const out: Record<string, unknown> = {};
    for (const [keyword, child] of Object.entries(value)) {
      const at = joinPointer(pointer, keyword);
      if (droppedKeywords.has(keyword) && !(keyword === 'id' && typeof child !== 'string')) continue;
      if (keyword === '$ref' && typeof child === 'string') {
        const name = this.referenceName(file, pointer, child, context);
        if (name !== undefined) out.$ref = `#/definitions/${name}`;
      } else if (schemaKeywords.has(keyword)) {
        out[keyword] = this.convertValue(file, at, child, context);
      } else if (schemaArrayKeywords.has(keyword) && Array.isArray(child)) {
        out[keyword] = child.map((item, i) => this.convertValue(file, joinPointer(at, i), item, context));
      } else if (keyword === 'items') {
        out[keyword] = Array.isArray(child)
          ? child.map((item, i) => this.convertValue(file, joinPointer(at, i), item, context))
          : this.convertValue(file, at, child, context);
      } else if ((schemaMapKeywords.has(keyword) || keyword === 'dependencies') && isObject(child)) {
        out[keyword] = Object.fromEntries(
          Object.entries(child).map(([name, sub]) => [
            name,
            keyword === 'dependencies' && Array.isArray(sub)
              ? sub
              : this.convertValue(file, joinPointer(at, name), sub, context),
          ]),
        );
      } else {
        out[keyword] = child;
      }
    }
    if (context.openapi30) this.warnBoundlessExclusives(file, pointer, out);
    return context.openapi30 ? fromOpenApi30(out) : out;
  }

  /** OpenAPI 3.0 `exclusiveMinimum: true` without `minimum` (or maximum) has no effect: say so. */
  private warnBoundlessExclusives(file: SourceFile, pointer: string, schema: Record<string, unknown>): void {
    for (const [bound, exclusive] of exclusivePairs) {
      if (schema[exclusive] !== true || typeof schema[bound] === 'number') continue;
      const at = joinPointer(pointer, exclusive);
      this.diagnostics.push({
        severity: 'warning',
        code: 'openapi/exclusive-without-bound',
        message: `\`${exclusive}: true\` without \`${bound}\` has no effect in OpenAPI 3.0 (it makes an existing \`${bound}\` exclusive); evtgen ignores it.`,
        file: file.displayPath,
        position: file.locate(at),
        pointer: at,
        hint: `Add the bound it should make exclusive (e.g. \`${bound}: 0\`), or remove \`${exclusive}\`.`,
      });
    }
  }

  private referenceName(
    file: SourceFile,
    pointer: string,
    ref: string,
    context: SchemaContext,
  ): string | undefined {
    const target = this.workspace.resolveRef(file, ref, pointer);
    if (isDiagnostic(target)) {
      this.diagnostics.push(target);
      return undefined;
    }
    if (this.isRefCycle(target.file, target.pointer)) {
      const at = joinPointer(pointer, '$ref');
      this.diagnostics.push({
        severity: 'error',
        code: 'ref-circular',
        message: `$ref "${ref}" is circular: following it leads back to itself through $refs alone, so it names no schema.`,
        file: file.displayPath,
        position: file.locate(at),
        pointer: at,
        hint: 'Point the $ref at a real schema; recursion is allowed only through properties, items or combinators.',
      });
      return undefined;
    }
    return this.nameSchema(target.file, target.pointer, context);
  }

  /** True when the target is a `$ref` whose chain of bare `$ref`s returns to a place already seen. */
  private isRefCycle(file: SourceFile, pointer: string): boolean {
    const seen = new Set<string>();
    let current: { file: SourceFile; pointer: string } = { file, pointer };
    for (;;) {
      const key = `${current.file.displayPath}#${current.pointer}`;
      if (seen.has(key)) return true;
      seen.add(key);
      const value = this.valueAt(current.file, current.pointer);
      if (!isObject(value) || typeof value.$ref !== 'string') return false;
      const next = this.workspace.resolveRef(current.file, value.$ref, current.pointer);
      if (isDiagnostic(next)) return false;
      current = next;
    }
  }
}

const exclusivePairs = [
  ['minimum', 'exclusiveMinimum'],
  ['maximum', 'exclusiveMaximum'],
] as const;

/**
 * OpenAPI 3.0's schema dialect → JSON Schema: `nullable: true` adds `null` to the type (so 3.0
 * `nullable` and 3.1 `type: [.., 'null']` validate and type the same), boolean exclusive bounds become
 * numeric ones (without the bound they qualify they have no effect and are dropped).
 */
export function fromOpenApi30(schema: Record<string, unknown>): Record<string, unknown> {
  let out = { ...schema };
  for (const [bound, exclusive] of exclusivePairs) {
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else if (typeof out[exclusive] === 'boolean') delete out[exclusive];
  }
  if (out.nullable !== true) {
    delete out.nullable;
    return out;
  }
  delete out.nullable;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  else if (Array.isArray(out.type)) out.type = out.type.includes('null') ? out.type : [...out.type, 'null'];
  else out = { anyOf: [out, { type: 'null' }] };
  return out;
}

function lastSegment(file: SourceFile, pointer: string): string {
  const segments = splitPointer(pointer);
  const last = segments[segments.length - 1];
  if (last !== undefined) return last;
  const base = file.displayPath.split('/').pop() ?? file.displayPath;
  return base.replace(/\.(ya?ml|json)$/i, '');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

/** The longest prefix of `pointer` that exists in `file` (a difference may be an absent keyword). */
function existingPrefix(file: SourceFile, pointer: string): string {
  const segments = splitPointer(pointer);
  while (segments.length > 0 && getAtPointer(file.value, joinPointer('', ...segments)) === undefined)
    segments.pop();
  return joinPointer('', ...segments);
}

/**
 * The producer's name (the last segment of its EventBridge source, as a type-name prefix) when
 * `file` is a pin of another service's event (`x-evtgen-pin` in specs/external/), else undefined.
 */
function pinnedSource(file: SourceFile): string | undefined {
  const pin = isObject(file.value) ? file.value[pinKey] : undefined;
  const subject = isObject(pin) && typeof pin.subject === 'string' ? pin.subject : undefined;
  const source = subject?.split('@')[0]?.split('.').pop();
  return source ? toTypeName(source) : undefined;
}
