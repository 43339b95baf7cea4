import type { Ajv } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { heapGrowthBound } from '../collect-garbage.js';
import type { JsonSchema, SchemaDialect } from '../model/contract.js';
import { installLinearNames } from './ajv-names.js';
import { standaloneModule } from './ajv-standalone.js';
import { formatsModuleId, loadDateTime } from './fast-formats.js';

/** Base URI of the schema bundle inside each ajv instance; refs are `#/definitions/<Name>`. */
const bundleId = 'https://evtgen.dev/schemas/bundle.json';

/** One ajv configuration: the dialect, and whether strings are coerced (HTTP parameters arrive as text). */
export interface ValidatorGroup {
  readonly dialect: SchemaDialect;
  readonly coerce: boolean;
  /** Definition names to export as validators (each also the export name). */
  readonly exports: readonly string[];
  /**
   * More export names for validators of `exports`: `[alias, exported]`, for definitions whose schema
   * is the same text as the exported one's (compiled once; ajv would compile each anew).
   */
  readonly aliases?: readonly (readonly [alias: string, exported: string])[];
}

export interface CompileDiagnostic {
  /** `error` when ajv refused to compile the schema (no validator could be generated). */
  readonly severity: 'error' | 'warning';
  readonly schema: string;
  readonly message: string;
}

/**
 * The ajv options every generated validator is compiled with: what decides how readers read (the
 * reading policy `evtgen check` judges by, and its property test compiles with).
 */
export function validatorOptions(coerce: boolean) {
  return {
    allErrors: true,
    strict: false,
    allowUnionTypes: true,
    // Parsed JSON inherits Object.prototype: without this, `required: ["constructor"]` passes on `{}`.
    ownProperties: true,
    // `strict: false` turns this off too: then `1e400` (JSON.parse gives Infinity) or a coerced
    // `?n=1e400` passes as a number, even an integer, and reaches the operation as Infinity.
    strictNumbers: true,
    // Shared schemas become one function each instead of a copy per use: ~20% smaller bundles.
    inlineRefs: false,
    coerceTypes: coerce ? ('array' as const) : false,
  };
}

/**
 * An ajv instance set up exactly like the generated validators (options, every format, evtgen's
 * date-time): the one ajv setup for validating data, used to compile the validators and to check the
 * specs' examples (model/example-check.ts), so an example passes exactly when the runtime would accept it.
 */
export async function validatorAjv(
  dialect: SchemaDialect,
  coerce: boolean,
  extra: Readonly<Record<string, unknown>> = {},
): Promise<Ajv | Ajv2020> {
  const [ajvModule, ajv2020Module, formatsModule, dateTime] = await Promise.all([
    import('ajv'),
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
    loadDateTime(),
    installLinearNames(),
  ]);
  const addFormats = formatsModule.default as unknown as (ajv: unknown) => void;
  const options = { ...validatorOptions(coerce), ...extra };
  const ajv = dialect === '2020-12' ? new ajv2020Module.Ajv2020(options) : new ajvModule.Ajv(options);
  addFormats(ajv);
  ajv.addFormat('date-time', dateTime);
  return ajv;
}

/** One ajv instance over a schema bundle, and what its logger reported while compiling. */
interface BundleInstance {
  readonly ajv: Ajv | Ajv2020;
  readonly warnings: CompileDiagnostic[];
  /** The definition being compiled, named in the warnings; undefined while compiling for other uses. */
  current: string | undefined;
}

/**
 * The ajv instances of one schema bundle (one per dialect and coercion), with the options, formats
 * and code settings of the generated validators. Shared by the example check and the validators'
 * emission (emit/validators.ts `validatorInstances`): a schema the example check compiled is the
 * validator the emitter writes out, compiled once (on GitHub's REST API description the example
 * check compiled ~700 response schemas that the emitter then compiled again).
 *
 * Validating in process works on these instances: ajv keeps the real format functions for that and
 * uses `code.formats` only in the standalone code.
 */
export class BundleInstances {
  private readonly instances = new Map<string, Promise<BundleInstance>>();
  /** Checked before each compile: ajv's garbage kept from doubling the heap (collect-garbage.ts). */
  private readonly boundHeap = heapGrowthBound();

  constructor(readonly definitions: Readonly<Record<string, JsonSchema>>) {}

  /**
   * The instance for `dialect` and `coerce`, with the bundle added (once). When it is made here,
   * `roots` (the definitions it will compile) limit the bundle to what they reach: ajv walks every
   * schema it is given for ids, ~0.3 s of GitHub's REST API description for the parameters' instance,
   * which reaches a few dozen.
   */
  instance(dialect: SchemaDialect, coerce: boolean, roots?: readonly string[]): Promise<BundleInstance> {
    const key = `${dialect}|${coerce}`;
    let made = this.instances.get(key);
    if (!made) {
      const definitions = (roots && reachableDefinitions(this.definitions, roots)) ?? this.definitions;
      made = this.make(dialect, coerce, definitions);
      this.instances.set(key, made);
    }
    return made;
  }

  /** The compiled validator of definition `name` (compiled now if it is not yet). */
  async validator(dialect: SchemaDialect, coerce: boolean, name: string, report = true) {
    this.boundHeap();
    const target = await this.instance(dialect, coerce);
    target.current = report ? name : undefined;
    try {
      return target.ajv.getSchema(`${bundleId}#/definitions/${name}`);
    } finally {
      target.current = undefined;
    }
  }

  private async make(
    dialect: SchemaDialect,
    coerce: boolean,
    definitions: Readonly<Record<string, JsonSchema>>,
  ): Promise<BundleInstance> {
    const { _ } = await import('ajv');
    const warnings: CompileDiagnostic[] = [];
    const record = (...args: unknown[]) => {
      // A warning while compiling for another use (an example's own schema) is reported again
      // when the validator that holds that schema is compiled: kept only for named validators.
      if (made.current !== undefined)
        warnings.push({ severity: 'warning', schema: made.current, message: args.map(String).join(' ') });
    };
    const ajv = await validatorAjv(dialect, coerce, {
      logger: { log: () => undefined, warn: record, error: record },
      // Formats come from evtgen's module (ajv-formats' full set with faster, equivalent checks).
      code: { source: true, esm: true, lines: true, formats: _`require(${formatsModuleId}).fullFormats` },
    });
    const made: BundleInstance = { ajv, warnings, current: undefined };
    // The model layer (schema-check.ts) has checked every schema against its meta-schema.
    ajv.addSchema({ $id: bundleId, definitions } as never, undefined, undefined, false);
    return made;
  }
}

/**
 * The definitions that `roots` reach through `$ref`s (`#/definitions/<name>`), or undefined when a
 * schema among them could reach another some other way (an `$id`, an anchor, a `$ref` of another
 * form): then ajv gets them all. ajv compiles a reference into a function of its own, named in the
 * order it compiles them, so a bundle of what is reached gives the same code. (A spec whose schemas
 * ajv refuses elsewhere, say two with the same `$id`, is refused by the instance that has them all.)
 */
export function reachableDefinitions(
  definitions: Readonly<Record<string, JsonSchema>>,
  roots: readonly string[],
): Record<string, JsonSchema> | undefined {
  const reached: Record<string, JsonSchema> = {};
  const pending = [...roots];
  let unsure = false;
  const visit = (value: unknown): void => {
    if (unsure || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '$ref' && typeof child === 'string') {
        const name = /^#\/definitions\/([A-Za-z0-9_$]+)(?:\/|$)/.exec(child)?.[1];
        if (name === undefined) unsure = true;
        else pending.push(name);
      } else if (otherWays.has(key)) unsure = true;
      visit(child);
    }
  };
  for (let name = pending.pop(); name !== undefined && !unsure; name = pending.pop()) {
    if (Object.hasOwn(reached, name)) continue;
    if (!Object.hasOwn(definitions, name)) return undefined;
    const schema = definitions[name] as JsonSchema;
    reached[name] = schema;
    visit(schema);
  }
  return unsure ? undefined : reached;
}

/** Keywords by which ajv can reach a schema other than by `#/definitions/<name>`, or read it otherwise. */
const otherWays = new Set([
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$recursiveAnchor',
  '$dynamicRef',
  '$recursiveRef',
  '$schema',
]);

/** The groups compiled by ajv: one standalone module each, by module id (bundled by bundle-validators.ts). */
export interface CompiledGroups {
  readonly modules: ReadonlyMap<string, string>;
  readonly warnings: CompileDiagnostic[];
}

/**
 * The ajv half of `compileValidators` (bundle-validators.ts). Once it has returned, nothing of ajv
 * is needed any more: a caller that drops `instances` then leaves them to the garbage collector
 * before the bundling.
 */
export async function compileGroups(
  groups: readonly ValidatorGroup[],
  instances: BundleInstances,
  /** Called with each group's module as soon as it is made (validator-bundle.ts `streamToWorker`). */
  onModule?: (module: string, code: string) => void,
  /** `code: false`: only what ajv says (validators.ts `validatorWarnings`); no module is made. */
  options: { readonly code?: boolean } = {},
): Promise<CompiledGroups> {
  const warnings: CompileDiagnostic[] = [];
  const modules = new Map<string, string>();
  for (const group of groups) {
    if (group.exports.length === 0) continue;
    // The model layer (schema-check.ts) already refuses schemas ajv cannot compile, with positions;
    // this catch keeps anything it missed a diagnostic rather than a crash.
    const refs: Record<string, string> = {};
    let current = '';
    let ajv: Ajv | Ajv2020;
    try {
      // An instance ajv refuses to set up is an error for the group's first validator.
      current = group.exports[0] ?? '';
      ({ ajv } = await instances.instance(group.dialect, group.coerce, group.exports));
      for (const name of group.exports) {
        current = name;
        refs[name] = `${bundleId}#/definitions/${name}`;
        await instances.validator(group.dialect, group.coerce, name);
      }
    } catch (error) {
      warnings.push({ severity: 'error', schema: current, message: (error as Error).message });
      continue;
    }
    if (options.code === false) continue;
    const code = await standaloneModule(ajv as Ajv, refs);
    modules.set(groupModuleId(group), code);
    onModule?.(groupModuleId(group), code);
  }
  // What ajv said while compiling, here or in the example check (an instance ajv refused to set up
  // has said it above, as an error).
  const compiled = new Set(groups.filter((g) => g.exports.length > 0).map((g) => `${g.dialect}|${g.coerce}`));
  for (const key of compiled) {
    const [dialect, coerce] = key.split('|') as [SchemaDialect, string];
    const instance = await instances.instance(dialect, coerce === 'true').catch(() => undefined);
    warnings.push(...(instance?.warnings ?? []));
  }
  return { modules, warnings };
}

/** The id under which a group's standalone module is bundled (bundle-validators.ts). */
export function groupModuleId(group: ValidatorGroup): string {
  return `evtgen-validators:${group.dialect}${group.coerce ? '-coerce' : ''}`;
}
